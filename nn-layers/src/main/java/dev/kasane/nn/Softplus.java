package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
public class Softplus extends Module {
    private final double beta;
    private final double threshold;

    /** beta 1, threshold 20 (PyTorch's defaults). */
    public Softplus() {
        this(1, 20);
    }

    /** Given beta and threshold. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softplus(input, beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}
