package dev.kasane.autograd.conformance;

import dev.kasane.tensor.Device;

/** Runs the {@link CompositeConformance} suite on the CPU backend. */
class CpuCompositeTest extends CompositeConformance {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
