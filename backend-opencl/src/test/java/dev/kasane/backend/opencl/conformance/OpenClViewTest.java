package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ViewConformance;

/** Runs the {@link ViewConformance} suite on OpenCL device 0. */
class OpenClViewTest extends ViewConformance implements OpenClSuite {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
