package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Objects;

/**
 * Creates module parameters. A parameter is a leaf {@link Tensor} that requires grad ({@code Tensor} is final, so
 * a parameter is not a subclass: a {@link Module} knows its parameters because they were registered with
 * {@link Module#registerParameter}).
 */
public final class Parameter {
    private Parameter() {
    }

    /**
     * A leaf tensor sharing {@code data}'s values (not copied) that requires grad, as PyTorch's
     * {@code nn.Parameter(data)}.
     *
     * @throws IllegalArgumentException if {@code data} is not F32 or F64
     */
    public static Tensor of(Tensor data) {
        Objects.requireNonNull(data, "data");
        if (!data.dtype().isFloating()) {
            throw new IllegalArgumentException("Parameter.of: a parameter needs F32 or F64 data, got " + data.describe());
        }
        return data.detach().requiresGrad(true);
    }
}
