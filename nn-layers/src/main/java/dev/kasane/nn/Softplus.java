package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
public class Softplus extends FunctionLayer {
    /** beta 1, threshold 20 (PyTorch's defaults). */
    public Softplus() {
        this(1, 20);
    }

    /** Given beta and threshold. */
    public Softplus(double beta, double threshold) {
        super(x -> F.softplus(x, beta, threshold), "beta=" + beta + ", threshold=" + threshold);
    }
}
