package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Negative log likelihood of log-probabilities [N, C, ...] at integer class indices [N, ...]. */
public class NLLLoss extends Loss {
    /** Mean reduction, no class weights, ignore index -100. */
    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    /** With per-class weights [C] (or null), an ignored target value and a reduction. */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction, (x, y) -> F.nllLoss(x, y, weight, ignoreIndex, reduction));
    }
}
