package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ElementCountConformance;

/** Runs the {@link ElementCountConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClElementCountTest extends ElementCountConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
