package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CreationConformance;

/** Runs the {@link CreationConformance} suite on the CPU backend. */
class CpuCreationTest extends CreationConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
