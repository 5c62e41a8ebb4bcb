package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CreationConformance;

/** Runs the {@link CreationConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClCreationTest extends CreationConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
