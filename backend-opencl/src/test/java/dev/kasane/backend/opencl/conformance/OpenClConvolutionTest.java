package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ConvolutionConformance;

/** Runs the {@link ConvolutionConformance} suite on OpenCL device 0. */
class OpenClConvolutionTest extends ConvolutionConformance implements OpenClSuite {
    @Override
    protected Device device() {
        return OpenClTestSupport.DEVICE;
    }
}
