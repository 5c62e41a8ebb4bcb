package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** In training, zeroes whole channels of [N, C, H, W] with probability {@code p}, scaling the rest; identity in eval. */
public class Dropout2d extends Module {
    private final double p;

    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    /** Drop probability {@code p} in [0, 1]. */
    public Dropout2d(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout2d: probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, C, H, W) or (C, H, W)", 3, 4);
        return F.dropout2d(input, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
