package dev.kasane.distributed.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training sample as a Spark RDD holds it: the input's values and the target's, row-major, without shapes (the
 * trainer's {@link SampleShape} gives them). A class label is a one-element target holding the class index.
 *
 * @param input the input's values
 * @param target the target's values (one value, the class index, for a classification sample)
 */
public record Example(float[] input, float[] target) implements Serializable {
    /** Checks for nulls. */
    public Example {
        Objects.requireNonNull(input, "Example: input");
        Objects.requireNonNull(target, "Example: target");
    }

    /** A classification sample: {@code input} and its class index {@code label}. */
    public static Example of(float[] input, int label) {
        if (label < 0) {
            throw new IllegalArgumentException("Example.of: label must be >= 0, got " + label);
        }
        return new Example(input, new float[] {label});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Arrays.equals(input, e.input) && Arrays.equals(target, e.target);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(input) + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "Example(input " + input.length + " values, target " + Arrays.toString(
                target.length <= 4 ? target : Arrays.copyOf(target, 4)) + ")";
    }
}
