package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ReductionConformance;

/** Runs the {@link ReductionConformance} suite on the CPU backend. */
class CpuReductionTest extends ReductionConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
