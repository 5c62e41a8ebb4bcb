package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Softmax along a dim. */
public class Softmax extends AlongDim {
    /**
     * A Softmax.
     *
     * @param dim the dim that sums to one
     */
    public Softmax(int dim) {
        super(dim);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }
}
