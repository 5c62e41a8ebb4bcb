package dev.kasane.backend.cpu.conformance;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.conformance.ViewConformance;

/** Runs the {@link ViewConformance} suite on the CPU backend. */
class CpuViewTest extends ViewConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
