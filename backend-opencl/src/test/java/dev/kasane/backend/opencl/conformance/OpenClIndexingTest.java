package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.IndexingConformance;

/** Runs the {@link IndexingConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClIndexingTest extends IndexingConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
