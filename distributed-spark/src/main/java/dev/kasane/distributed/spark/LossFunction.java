package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import java.io.Serializable;

/** The training loss, a scalar mean over the batch; e.g. {@code (out, y) -> F.crossEntropy(out, y)}. */
@FunctionalInterface
public interface LossFunction extends Serializable {
    /** The loss of {@code output} against {@code target} (a 0-d tensor, the batch's mean). */
    Tensor apply(Tensor output, Tensor target);
}
