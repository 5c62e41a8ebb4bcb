package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** The Gaussian error linear unit, exact or with the tanh approximation. */
public class GELU extends FunctionLayer {
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
        super(x -> F.gelu(x, tanhApproximation), tanhApproximation ? "approximate='tanh'" : "");
    }
}
