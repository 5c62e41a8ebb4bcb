package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ElementCountConformance;

/** Runs the {@link ElementCountConformance} suite on the CPU backend. */
class CpuElementCountTest extends ElementCountConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
