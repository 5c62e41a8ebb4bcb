package dev.kasane.nn;

import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Absolute error {@code |x - y|}. */
public class L1Loss extends Loss {
    /** Mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public L1Loss(Reduction reduction) {
        super(reduction, (x, y) -> F.l1Loss(x, y, reduction));
    }
}
