package dev.kasane.nn;

import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Squared error {@code (x - y)^2}. */
public class MSELoss extends Loss {
    /** Mean reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public MSELoss(Reduction reduction) {
        super(reduction, (x, y) -> F.mseLoss(x, y, reduction));
    }
}
