package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ConvolutionConformance;

/** Runs the {@link ConvolutionConformance} suite on OpenCL device 0. */
@RequiresOpenCl
class OpenClConvolutionTest extends ConvolutionConformance {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
