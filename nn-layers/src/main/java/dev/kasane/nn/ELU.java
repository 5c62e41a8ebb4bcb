package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code x} for positive x, {@code alpha (exp(x) - 1)} otherwise. */
public class ELU extends FunctionLayer {
    /** PyTorch's default: alpha 1.0. */
    public ELU() {
        this(1.0);
    }

    /**
     * A ELU.
     *
     * @param alpha the saturation value for negative inputs
     */
    public ELU(double alpha) {
        super(x -> F.elu(x, alpha), "alpha=" + alpha);
    }
}
