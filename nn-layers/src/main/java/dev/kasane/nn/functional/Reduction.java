package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** No reduction: the per-element losses. */
    NONE,
    /** The mean (for weighted class losses: divided by the sum of the weights). */
    MEAN,
    /** The sum. */
    SUM,
    /** The sum divided by the batch size (KL divergence only; the mathematically correct KL mean). */
    BATCHMEAN;

    /** Applies NONE, MEAN or SUM to per-element losses. */
    Tensor apply(String op, Tensor loss) {
        switch (this) {
            case NONE:
                return loss;
            case SUM:
                return loss.sum();
            case MEAN:
                return loss.mean();
            default:
                throw new IllegalArgumentException(op + ": reduction " + this + " is only supported by klDiv");
        }
    }
}
