package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.MatmulConformance;

/** Runs the {@link MatmulConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClMatmulTest extends MatmulConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
