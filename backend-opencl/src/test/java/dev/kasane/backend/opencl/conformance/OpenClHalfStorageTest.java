package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.HalfStorageConformance;

/** Runs the {@link HalfStorageConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClHalfStorageTest extends HalfStorageConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
