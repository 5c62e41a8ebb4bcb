package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;

/**
 * Cross entropy of logits [N, C, ...] with integer class indices [N, ...] or class probabilities (see
 * {@link F#crossEntropy(Tensor, Tensor, Tensor, int, Reduction, double)}).
 */
public class CrossEntropyLoss extends Loss {
    /** Mean reduction, no class weights, ignore index -100, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0);
    }

    /**
     * Every option.
     *
     * @param weight         per-class weights [C], or null
     * @param ignoreIndex    a target value that contributes nothing
     * @param labelSmoothing in [0, 1]
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction, (x, y) -> F.crossEntropy(x, y, weight, ignoreIndex, reduction, labelSmoothing));
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
    }
}
