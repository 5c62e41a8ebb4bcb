package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The shapes of one {@link Example}'s input and target, which turn a list of examples into a batch: inputs become an
 * F32 tensor {@code [b, input...]}; targets an I64 tensor {@code [b]} of class indices ({@link #classification}) or
 * an F32 tensor {@code [b, target...]} ({@link #regression}).
 *
 * @param input the shape of one input
 * @param target the shape of one target; empty for a class index
 * @param classIndex whether the target is a class index
 */
public record SampleShape(int[] input, int[] target, boolean classIndex) implements Serializable {
    /** Copies the shapes and checks them. */
    public SampleShape {
        input = input.clone();
        target = target.clone();
        for (int d : input) {
            if (d < 1) {
                throw new IllegalArgumentException("SampleShape: input dimensions must be >= 1, got "
                        + Arrays.toString(input));
            }
        }
        for (int d : target) {
            if (d < 1) {
                throw new IllegalArgumentException("SampleShape: target dimensions must be >= 1, got "
                        + Arrays.toString(target));
            }
        }
        if (classIndex && target.length != 0) {
            throw new IllegalArgumentException("SampleShape: a class-index target has no dimensions, got "
                    + Arrays.toString(target));
        }
    }

    /** Inputs of shape {@code input}, targets a class index each. */
    public static SampleShape classification(int... input) {
        return new SampleShape(input, new int[0], true);
    }

    /** Inputs of shape {@code input}, targets F32 tensors of shape {@code target}. */
    public static SampleShape regression(int[] input, int... target) {
        return new SampleShape(input, target, false);
    }

    @Override
    public int[] input() {
        return input.clone();
    }

    @Override
    public int[] target() {
        return target.clone();
    }

    /** The batch {@code {inputs, targets}} of {@code examples[order[from]], ..., examples[order[to - 1]]}. */
    Tensor[] batch(List<Example> examples, int[] order, int from, int to) {
        int b = to - from;
        int inSize = size(input);
        int targetSize = classIndex ? 1 : size(target);
        float[] x = new float[b * inSize];
        float[] yFloat = classIndex ? null : new float[b * targetSize];
        long[] yLong = classIndex ? new long[b] : null;
        for (int i = 0; i < b; i++) {
            Example e = examples.get(order[from + i]);
            check(e.input().length, inSize, "input", e);
            check(e.target().length, targetSize, "target", e);
            System.arraycopy(e.input(), 0, x, i * inSize, inSize);
            if (classIndex) {
                yLong[i] = (long) e.target()[0];
            } else {
                System.arraycopy(e.target(), 0, yFloat, i * targetSize, targetSize);
            }
        }
        Tensor inputs = Tensor.of(x, prepend(b, input));
        Tensor targets = classIndex ? Tensor.of(yLong, b) : Tensor.of(yFloat, prepend(b, target));
        return new Tensor[] {inputs, targets};
    }

    private void check(int actual, int expected, String what, Example e) {
        if (actual != expected) {
            throw new IllegalArgumentException("SampleShape.batch: " + e + " has " + actual + " " + what
                    + " values, the shape " + this + " needs " + expected);
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static int[] prepend(int b, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = b;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleShape s && Arrays.equals(input, s.input) && Arrays.equals(target, s.target)
                && classIndex == s.classIndex;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(input) + Arrays.hashCode(target)) + Boolean.hashCode(classIndex);
    }

    @Override
    public String toString() {
        return "SampleShape(input " + Arrays.toString(input) + ", target "
                + (classIndex ? "class index" : Arrays.toString(target)) + ")";
    }
}
