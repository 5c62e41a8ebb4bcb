package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code x} for positive x, {@code negativeSlope x} otherwise. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

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
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
