package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CopyConformance;

/** Runs the {@link CopyConformance} suite on OpenCL device 0. */
class OpenClCopyTest extends CopyConformance implements OpenClSuite {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
