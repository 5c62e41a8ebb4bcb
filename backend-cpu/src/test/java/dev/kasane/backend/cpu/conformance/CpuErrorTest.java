package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ErrorConformance;

/** Runs the {@link ErrorConformance} suite on the CPU backend. */
class CpuErrorTest extends ErrorConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
