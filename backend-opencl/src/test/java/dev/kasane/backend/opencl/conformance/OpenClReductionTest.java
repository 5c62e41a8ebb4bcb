package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ReductionConformance;

/** Runs the {@link ReductionConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClReductionTest extends ReductionConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
