package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Binary cross entropy of probabilities in [0, 1] (logs clamped at -100, as PyTorch). */
public class BCELoss extends Loss {
    /** Mean reduction, no weights. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** With elementwise weights (broadcast; may be null) and a reduction. */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction, (x, y) -> F.binaryCrossEntropy(x, y, weight, reduction));
    }
}
