package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CreationConformance;

/** Runs the {@link CreationConformance} suite on OpenCL device 0. */
class OpenClCreationTest extends CreationConformance implements OpenClSuite {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
