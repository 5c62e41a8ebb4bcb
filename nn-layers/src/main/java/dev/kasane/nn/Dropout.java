package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** In training, zeroes elements with probability {@code p} and scales the rest by {@code 1 / (1 - p)}; identity in eval. */
public class Dropout extends AbstractDropout {
    /** p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    /** Drop probability {@code p} in [0, 1]. */
    public Dropout(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining());
    }
}
