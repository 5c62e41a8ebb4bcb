package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.IndexingConformance;

/** Runs the {@link IndexingConformance} suite on the CPU backend. */
class CpuIndexingTest extends IndexingConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
