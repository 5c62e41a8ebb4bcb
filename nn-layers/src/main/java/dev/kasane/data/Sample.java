package dev.kasane.data;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One sample of a dataset: a fixed number of arrays, by convention the input first and the target second (an image
 * and its label). The default collate function of {@link DataLoader} stacks each field across samples into the
 * matching field of a {@link Batch}. A label is usually a 0-d I64 array, which stacks to the {@code [N]} class
 * indices that a cross-entropy loss expects.
 */
public final class Sample {
    private final NDArray[] fields;

    private Sample(NDArray[] fields) {
        this.fields = fields;
    }

    /**
     * A sample holding {@code fields} (not copied).
     *
     * @throws IllegalArgumentException if there are no fields or one is null
     */
    public static Sample of(NDArray... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("Sample.of: a sample needs at least one field");
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null) {
                throw new IllegalArgumentException("Sample.of: field " + i + " is null");
            }
        }
        return new Sample(fields.clone());
    }

    /** An (input, integer label) pair; the label becomes a 0-d I64 array. */
    public static Sample of(NDArray input, long label) {
        Objects.requireNonNull(input, "Sample.of: input");
        return new Sample(new NDArray[] {input, NDArray.scalar(label, input.device())});
    }

    /** The first field. */
    public NDArray input() {
        return fields[0];
    }

    /**
     * The second field.
     *
     * @throws IllegalStateException if the sample has a single field
     */
    public NDArray target() {
        if (fields.length < 2) {
            throw new IllegalStateException("Sample.target: this sample has only one field");
        }
        return fields[1];
    }

    /** Field {@code i}. */
    public NDArray get(int i) {
        if (i < 0 || i >= fields.length) {
            throw new IndexOutOfBoundsException("Sample.get: field " + i + " of a sample with " + fields.length + " fields");
        }
        return fields[i];
    }

    /** Number of fields. */
    public int numFields() {
        return fields.length;
    }

    /** The fields, in order (unmodifiable). */
    public List<NDArray> fields() {
        return List.of(fields);
    }

    /** The fields' shapes and dtypes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sample(");
        for (int i = 0; i < fields.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(fields[i].describe());
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample && Arrays.equals(fields, ((Sample) o).fields);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fields);
    }
}
