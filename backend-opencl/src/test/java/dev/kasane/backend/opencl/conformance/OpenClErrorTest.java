package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ErrorConformance;

/** Runs the {@link ErrorConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClErrorTest extends ErrorConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
