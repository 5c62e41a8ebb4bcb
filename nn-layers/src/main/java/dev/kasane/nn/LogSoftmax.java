package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Log-softmax along a dim. */
public class LogSoftmax extends AlongDim {
    /**
     * A LogSoftmax.
     *
     * @param dim the dim to normalize
     */
    public LogSoftmax(int dim) {
        super(dim);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }
}
