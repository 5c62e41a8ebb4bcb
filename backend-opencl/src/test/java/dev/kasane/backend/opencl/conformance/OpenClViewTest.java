package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ViewConformance;

/** Runs the {@link ViewConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClViewTest extends ViewConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
