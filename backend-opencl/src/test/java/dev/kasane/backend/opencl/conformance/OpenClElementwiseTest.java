package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ElementwiseConformance;

/** Runs the {@link ElementwiseConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClElementwiseTest extends ElementwiseConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
