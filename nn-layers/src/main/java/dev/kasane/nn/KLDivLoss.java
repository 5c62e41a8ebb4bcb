package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** KL divergence with log-probability inputs (targets as probabilities or, with logTarget, log-probabilities). */
public class KLDivLoss extends Loss {
    private final boolean logTarget;

    /** Mean reduction, logTarget false. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /** With the given reduction and logTarget. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reduction(), logTarget);
    }
}
