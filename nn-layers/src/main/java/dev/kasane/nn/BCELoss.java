package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Binary cross entropy of probabilities in [0, 1] (logs clamped at -100, as PyTorch). */
public class BCELoss extends Loss {
    private final Tensor weight;

    /** Mean reduction, no weights. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** With elementwise weights (broadcast; may be null) and a reduction. */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight, reduction());
    }
}
