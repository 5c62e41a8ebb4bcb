package dev.kasane.nn.functional;

import java.util.Arrays;

/**
 * The padding of a convolution: explicit sizes per spatial dimension (applied to both sides), or PyTorch's
 * {@code "valid"} (none) and {@code "same"} (the output keeps the input's size; stride 1 only; an odd total is
 * padded one more at the end, as PyTorch).
 */
public final class Padding {
    /** No padding. */
    public static final Padding VALID = new Padding(null, false);
    /** Output size equal to the input size (stride 1). */
    public static final Padding SAME = new Padding(null, true);

    private final int[] sizes;
    private final boolean same;

    private Padding(int[] sizes, boolean same) {
        this.sizes = sizes;
        this.same = same;
    }

    /** The same padding on every spatial dimension. */
    public static Padding of(int size) {
        return new Padding(new int[] {check(size)}, false);
    }

    /** Padding per spatial dimension (e.g. height, width). */
    public static Padding of(int... sizes) {
        for (int s : sizes) {
            check(s);
        }
        return new Padding(sizes.clone(), false);
    }

    /** Parses {@code "same"} or {@code "valid"}. */
    public static Padding parse(String mode) {
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "same":
                return SAME;
            case "valid":
                return VALID;
            default:
                throw new IllegalArgumentException("padding: expected \"same\" or \"valid\", got \"" + mode + "\"");
        }
    }

    private static int check(int s) {
        if (s < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + s);
        }
        return s;
    }

    /** Whether this is {@link #SAME}. */
    public boolean isSame() {
        return same;
    }

    /**
     * The padding before and after, per spatial dimension, for kernel sizes {@code kernel} and dilations
     * {@code dilation}: {@code [before0, after0, before1, after1, ...]}.
     *
     * @param op names the caller in errors
     * @throws IllegalArgumentException if the sizes given are neither one nor one per spatial dim
     */
    public int[] resolve(String op, int[] kernel, int[] dilation) {
        int n = kernel.length;
        int[] out = new int[2 * n];
        if (same) {
            for (int i = 0; i < n; i++) {
                int total = dilation[i] * (kernel[i] - 1);
                out[2 * i] = total / 2;
                out[2 * i + 1] = total - total / 2;
            }
        } else if (sizes != null) {
            if (sizes.length != 1 && sizes.length != n) {
                throw new IllegalArgumentException(op + ": padding " + Arrays.toString(sizes) + " must have 1 or " + n + " values");
            }
            for (int i = 0; i < n; i++) {
                int p = sizes[sizes.length == 1 ? 0 : i];
                out[2 * i] = p;
                out[2 * i + 1] = p;
            }
        }
        return out;
    }

    /**
     * As PyTorch prints it for {@code spatialDims} dims: {@code "'same'"}, {@code "'valid'"}, {@code (1, 1)}, or ""
     * for zero padding.
     */
    public String describe(int spatialDims) {
        if (sizes == null) {
            return same ? "'same'" : "'valid'";
        }
        int[] k = new int[spatialDims];
        java.util.Arrays.fill(k, 1);
        int[] r = resolve("padding", k, k);
        StringBuilder sb = new StringBuilder("(");
        boolean zero = true;
        for (int i = 0; i < spatialDims; i++) {
            sb.append(i > 0 ? ", " : "").append(r[2 * i]);
            zero &= r[2 * i] == 0;
        }
        return zero ? "" : sb.append(spatialDims == 1 ? ",)" : ")").toString();
    }

    /** {@code "same"}, {@code "valid"} or the sizes, e.g. {@code (1, 1)}. */
    @Override
    public String toString() {
        if (sizes == null) {
            return same ? "same" : "valid";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i > 0 ? ", " : "").append(sizes[i]);
        }
        return sb.append(sizes.length == 1 ? ",)" : ")").toString();
    }
}
