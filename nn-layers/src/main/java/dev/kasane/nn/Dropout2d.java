package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** In training, zeroes whole channels of [N, C, H, W] with probability {@code p}, scaling the rest; identity in eval. */
public class Dropout2d extends AbstractDropout {
    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    /** Drop probability {@code p} in [0, 1]. */
    public Dropout2d(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.dropout2d(input, p, isTraining());
    }
}
