package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Negative log likelihood of log-probabilities [N, C, ...] at integer class indices [N, ...]. */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    /** Mean reduction, no class weights, ignore index -100. */
    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    /** With per-class weights [C] (or null), an ignored target value and a reduction. */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction());
    }
}
