package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/** Random inputs of the gradient checks. */
final class TestTensors {
    private TestTensors() {
    }

    /** A standard-normal leaf of {@code shape} that requires grad, drawn from the global generator. */
    static Tensor rnd(int... shape) {
        return Tensor.randn(shape).requiresGrad(true);
    }
}
