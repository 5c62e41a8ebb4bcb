package dev.kasane.nn;

import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** {@code 0.5 d^2} where {@code |d| < delta}, {@code delta (|d| - delta / 2)} elsewhere. */
public class HuberLoss extends Loss {
    /** Mean reduction, delta 1.0. */
    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    /** With the given reduction and delta. */
    public HuberLoss(Reduction reduction, double delta) {
        super(reduction, (x, y) -> F.huberLoss(x, y, reduction, delta));
    }
}
