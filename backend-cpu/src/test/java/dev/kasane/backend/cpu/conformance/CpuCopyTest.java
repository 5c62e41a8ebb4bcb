package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.CopyConformance;

/** Runs the {@link CopyConformance} suite on the CPU backend. */
class CpuCopyTest extends CopyConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
