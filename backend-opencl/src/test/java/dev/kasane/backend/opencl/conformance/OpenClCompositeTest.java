package dev.kasane.backend.opencl.conformance;

import dev.kasane.autograd.conformance.CompositeConformance;
import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;

/** Runs the {@link CompositeConformance} suite (core-autograd's composites) on OpenCL device 0. */
@RequiresOpenCl
class OpenClCompositeTest extends CompositeConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
