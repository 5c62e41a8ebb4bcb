package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code x} for positive x, {@code negativeSlope x} otherwise. */
public class LeakyReLU extends FunctionLayer {
    /** PyTorch's default: negativeSlope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /**
     * A LeakyReLU.
     *
     * @param negativeSlope the slope for negative inputs
     */
    public LeakyReLU(double negativeSlope) {
        super(x -> F.leakyRelu(x, negativeSlope), "negative_slope=" + negativeSlope);
    }
}
