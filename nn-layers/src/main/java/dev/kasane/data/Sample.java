package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import java.util.Objects;

/**
 * One sample of a dataset: a fixed number of tensors, by convention the input first and the target second (an
 * image and its label). The default collate function of {@link DataLoader} stacks each field across samples into
 * the matching field of a {@link Batch}. A label is usually a 0-d I64 tensor, which stacks to the {@code [N]} class
 * indices that a cross-entropy loss expects. Two samples are equal when they hold the same tensor objects.
 */
public final class Sample extends Fields {
    private Sample(Tensor[] fields) {
        super("Sample", "Sample.of", fields);
    }

    /**
     * A sample holding {@code fields} (not copied).
     *
     * @throws IllegalArgumentException if there are no fields or one is null
     */
    public static Sample of(Tensor... fields) {
        return new Sample(fields);
    }

    /**
     * An (input, integer label) pair; the label becomes a 0-d I64 tensor on the input's device.
     *
     * @throws NullPointerException if {@code input} is null
     */
    public static Sample of(Tensor input, long label) {
        Objects.requireNonNull(input, "Sample.of: input");
        return new Sample(new Tensor[] {input, Tensor.of(new long[] {label}).reshape().to(input.device())});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample && fields().equals(((Sample) o).fields());
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }
}
