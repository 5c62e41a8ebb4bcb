package dev.kasane.nn;

import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** {@code 0.5 d^2 / beta} where {@code |d| < beta}, {@code |d| - beta / 2} elsewhere. */
public class SmoothL1Loss extends Loss {
    /** Mean reduction, beta 1.0. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    /** With the given reduction and beta. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction, (x, y) -> F.smoothL1Loss(x, y, reduction, beta));
    }
}
