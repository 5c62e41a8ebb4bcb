package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;

/**
 * Creates module parameters. A parameter is a leaf {@link Tensor} that requires grad ({@code Tensor} is final, so
 * a parameter is not a subclass: a {@link Module} knows its parameters because they were registered with
 * {@link Module#registerParameter}).
 */
public final class Parameter {
    private Parameter() {
    }

    /** A leaf tensor over {@code data} (shared, not copied) that requires grad. */
    public static Tensor of(NDArray data) {
        return Tensor.of(data, data.dtype().isFloating());
    }
}
