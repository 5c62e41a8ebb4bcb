package dev.kasane.nn;

/** A parameter-free layer that normalizes along one dim (Softmax, LogSoftmax), printed as {@code dim=1}. */
abstract class AlongDim extends Module {
    /** The dim the layer works along. */
    protected final int dim;

    AlongDim(int dim) {
        this.dim = dim;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
