package dev.kasane.backend.opencl.conformance;

import dev.kasane.autograd.conformance.CompositeConformance;
import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.tensor.Device;

/** Runs the {@link CompositeConformance} suite (core-autograd's composites) on OpenCL device 0. */
class OpenClCompositeTest extends CompositeConformance implements OpenClSuite {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
