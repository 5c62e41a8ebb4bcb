package dev.kasane.nn;

import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** KL divergence with log-probability inputs (targets as probabilities or, with logTarget, log-probabilities). */
public class KLDivLoss extends Loss {
    /** Mean reduction, logTarget false. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /** With the given reduction and logTarget. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction, (x, y) -> F.klDiv(x, y, reduction, logTarget));
    }
}
