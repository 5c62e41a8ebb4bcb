package dev.kasane.autograd;

import java.util.Objects;

/**
 * The two results of {@link Tensor#sort}, {@link Tensor#topk}: the selected values (differentiable, gathered from
 * the input) and their I64 indices along the dim (PyTorch's {@code (values, indices)} named tuple).
 *
 * @param values  the values, of the input's dtype
 * @param indices the I64 positions of {@code values} along the sorted dim of the input
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    /** Checks that both parts are present. */
    public ValuesIndices {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(indices, "indices");
    }
}
