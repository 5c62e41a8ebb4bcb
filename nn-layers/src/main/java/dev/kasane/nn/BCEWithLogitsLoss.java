package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/** Binary cross entropy of logits, numerically stable for logits of any size; optional positive-class weights. */
public class BCEWithLogitsLoss extends Loss {
    /** Mean reduction, no weights. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    /**
     * Every option.
     *
     * @param weight    elementwise weights (broadcast), or null
     * @param posWeight weights of positive examples, broadcast over the last dim (one per class), or null
     */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        super(reduction, (x, y) -> F.binaryCrossEntropyWithLogits(x, y, weight, posWeight, reduction));
    }
}
