package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CopyConformance;

/** Runs the {@link CopyConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClCopyTest extends CopyConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
