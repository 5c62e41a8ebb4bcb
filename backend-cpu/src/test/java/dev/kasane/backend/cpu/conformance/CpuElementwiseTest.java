package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ElementwiseConformance;

/** Runs the {@link ElementwiseConformance} suite on the CPU backend. */
class CpuElementwiseTest extends ElementwiseConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
