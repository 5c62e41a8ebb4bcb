package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** The Gaussian error linear unit, exact or with the tanh approximation. */
public class GELU extends Module {
    private final boolean tanhApproximation;

    /** PyTorch's default: tanhApproximation false. */
    public GELU() {
        this(false);
    }

    /**
     * A GELU.
     *
     * @param tanhApproximation use PyTorch's approximate="tanh"
     */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, tanhApproximation);
    }

    @Override
    protected String extraRepr() {
        return tanhApproximation ? "approximate='tanh'" : "";
    }
}
