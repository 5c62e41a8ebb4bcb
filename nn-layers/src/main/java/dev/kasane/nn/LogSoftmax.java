package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Log-softmax along a dim. */
public class LogSoftmax extends FunctionLayer {
    /**
     * A LogSoftmax.
     *
     * @param dim the dim to normalize
     */
    public LogSoftmax(int dim) {
        super(x -> F.logSoftmax(x, dim), "dim=" + dim);
    }
}
