package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ConvolutionConformance;

/** Runs the {@link ConvolutionConformance} suite on the CPU backend. */
class CpuConvolutionTest extends ConvolutionConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
