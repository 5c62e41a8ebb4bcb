package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Log-softmax along a dim. */
public class LogSoftmax extends Module {
    private final int dim;

    /**
     * A LogSoftmax.
     *
     * @param dim the dim to normalize
     */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
