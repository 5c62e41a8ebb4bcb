package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** In training, zeroes elements with probability {@code p} and scales the rest by {@code 1 / (1 - p)}; identity in eval. */
public class Dropout extends Module {
    private final double p;

    /** p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    /** Drop probability {@code p} in [0, 1]. */
    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
