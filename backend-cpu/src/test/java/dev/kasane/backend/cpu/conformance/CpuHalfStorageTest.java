package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.HalfStorageConformance;

/** Runs the {@link HalfStorageConformance} suite on the CPU backend. */
class CpuHalfStorageTest extends HalfStorageConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
