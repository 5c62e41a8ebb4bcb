package dev.kasane.backend.opencl.training;

import dev.kasane.autograd.Tensor;
import dev.kasane.optim.Optimizer;
import java.util.function.Supplier;

/** The training step the device tests repeat. */
final class TrainingSteps {
    private TrainingSteps() {
    }

    /** One optimizer step: zeroes the gradients, computes the loss, back-propagates it and steps; returns the loss. */
    static Tensor step(Optimizer<?> opt, Supplier<Tensor> loss) {
        opt.zeroGrad();
        Tensor l = loss.get();
        l.backward();
        opt.step();
        return l;
    }
}
