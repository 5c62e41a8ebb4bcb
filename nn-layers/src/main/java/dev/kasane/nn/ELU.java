package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code x} for positive x, {@code alpha (exp(x) - 1)} otherwise. */
public class ELU extends Module {
    private final double alpha;

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
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.elu(input, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
