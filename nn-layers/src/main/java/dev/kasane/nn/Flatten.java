package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/** Merges dims {@code startDim..endDim} (default 1..-1: everything but the batch dim). */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens all dims but the first. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens dims {@code startDim..endDim} (negative dims count from the end). */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        int rank = Math.max(input.dim(), 1);
        int s = startDim < 0 ? startDim + rank : startDim;
        if (s >= rank) {
            throw error("cannot flatten from dim " + startDim + " an input of shape " + java.util.Arrays.toString(input.shape()));
        }
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
