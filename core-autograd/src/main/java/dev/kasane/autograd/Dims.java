package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/** Small shape helpers for backward formulas. */
final class Dims {
    private Dims() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Normalises {@code d} against {@code rank} (a 0-d tensor accepts 0 and -1). */
    static int norm(String op, int d, int rank, int[] shape) {
        return norm(op, d, rank, "shape " + str(shape));
    }

    /** Normalises {@code d} against {@code x}'s rank; errors describe x's shape, dtype and device. */
    static int norm(String op, int d, NDArray x) {
        return norm(op, d, x.dim(), x.describe());
    }

    private static int norm(String op, int d, int rank, String what) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            throw new IllegalArgumentException(op + ": dimension " + d + " out of range for " + what
                    + " (expected in [" + (-r) + ", " + (r - 1) + "])");
        }
        return d < 0 ? d + r : d;
    }

    /** A mask of the reduced dims ({@code null}: all). */
    static boolean[] mask(String op, int[] dims, int[] shape) {
        return mask(op, dims, shape, "shape " + str(shape));
    }

    /** A mask of the reduced dims of {@code x} ({@code null}: all); errors describe x's shape, dtype and device. */
    static boolean[] mask(String op, int[] dims, NDArray x) {
        return mask(op, dims, x.shape(), x.describe());
    }

    private static boolean[] mask(String op, int[] dims, int[] shape, String what) {
        boolean[] m = new boolean[shape.length];
        if (dims == null) {
            Arrays.fill(m, true);
            return m;
        }
        for (int d : dims) {
            int n = norm(op, d, shape.length, what);
            if (shape.length > 0) {
                if (m[n]) {
                    throw new IllegalArgumentException(op + ": dimension " + d + " appears twice in "
                            + Arrays.toString(dims) + " for " + what);
                }
                m[n] = true;
            }
        }
        return m;
    }

    /** The shape after reducing the masked dims with keepDim. */
    static int[] keptShape(int[] shape, boolean[] mask) {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (mask[i]) {
                s[i] = 1;
            }
        }
        return s;
    }

    /** The shape after reducing the masked dims without keepDim (the masked dims removed). */
    static int[] reducedShape(int[] shape, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 0 : 1;
        }
        int[] s = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!mask[i]) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    /** The number of elements reduced over. */
    static long count(int[] shape, boolean[] mask) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                n *= shape[i];
            }
        }
        return n;
    }

    /** True if {@code small} broadcasts to {@code big} (so a gradient of shape big can be summed to small). */
    static boolean broadcastsTo(int[] small, int[] big) {
        if (small.length > big.length) {
            return false;
        }
        int lead = big.length - small.length;
        for (int i = 0; i < small.length; i++) {
            if (small[i] != 1 && small[i] != big[i + lead]) {
                return false;
            }
        }
        return true;
    }

    static int[] allDims(int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = i;
        }
        return d;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    static int[] inversePermutation(int[] perm, int rank, int[] shape) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[norm("permute", perm[i], rank, shape)] = i;
        }
        return inv;
    }
}
