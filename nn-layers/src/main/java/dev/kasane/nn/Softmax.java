package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Softmax along a dim. */
public class Softmax extends FunctionLayer {
    /**
     * A Softmax.
     *
     * @param dim the dim that sums to one
     */
    public Softmax(int dim) {
        super(x -> F.softmax(x, dim), "dim=" + dim);
    }
}
