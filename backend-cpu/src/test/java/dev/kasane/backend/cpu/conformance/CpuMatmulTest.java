package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.MatmulConformance;

/** Runs the {@link MatmulConformance} suite on the CPU backend. */
class CpuMatmulTest extends MatmulConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
