package dev.kasane.tensor;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.Supplier;

/** Shape arithmetic shared by the ops: broadcasting, strides, dimension normalisation. */
final class Shapes {
    private Shapes() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The largest element count of an array: storage, views and kernels index elements with {@code int}. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * The number of elements of {@code shape}, checked: a negative size, or a count above {@link #MAX_ELEMENTS}, throws
     * {@link IllegalArgumentException} naming {@code op}, the shape and the exact count.
     */
    static int numel(String op, int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
            }
            n = Math.min(n * s, (long) MAX_ELEMENTS + 1); // both factors are below 2^32: no long overflow
        }
        if (n > MAX_ELEMENTS) {
            throw tooManyElements(op, shape);
        }
        return (int) n;
    }

    /** A size computed in long for dimension {@code dim} of a result, checked to fit an int. */
    static int size(String op, long size, int dim, Supplier<String> desc) {
        if (size > MAX_ELEMENTS) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " of the result would have " + size
                    + " elements, more than " + MAX_ELEMENTS + ", for " + desc.get());
        }
        return (int) size;
    }

    private static IllegalArgumentException tooManyElements(String op, int[] shape) {
        BigInteger count = BigInteger.ONE;
        for (int s : shape) {
            count = count.multiply(BigInteger.valueOf(s));
        }
        return new IllegalArgumentException(op + ": shape " + str(shape) + " has " + count + " elements, more than "
                + MAX_ELEMENTS + " (arrays index their elements with int)");
    }

    /**
     * Row-major strides of {@code shape}. Every array has at most {@link #MAX_ELEMENTS} elements, so they fit an int;
     * only an empty shape can ask for more, and as its strides address nothing they are capped.
     */
    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = (int) s;
            s = Math.min(s * Math.max(shape[i], 1), MAX_ELEMENTS);
        }
        return strides;
    }

    /** Normalises a possibly negative dimension index against rank {@code rank}. */
    static int dim(String op, int d, int rank, Supplier<String> desc) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            throw new IllegalArgumentException(op + ": dimension " + d + " out of range for " + rank + "-D array " + desc.get()
                    + " (expected in [" + (-r) + ", " + (r - 1) + "])");
        }
        return d < 0 ? d + r : d;
    }

    /** Normalised, distinct dims; {@code null} means all dims. */
    static boolean[] dimMask(String op, int[] dims, int rank, Supplier<String> desc) {
        boolean[] mask = new boolean[rank];
        if (dims == null) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int d : dims) {
            int n = dim(op, d, rank, desc);
            if (rank == 0) {
                continue;
            }
            if (mask[n]) {
                throw new IllegalArgumentException(op + ": dimension " + d + " appears twice in " + str(dims) + " for " + desc.get());
            }
            mask[n] = true;
        }
        return mask;
    }

    /** NumPy broadcasting of any number of shapes; the result must have at most {@link #MAX_ELEMENTS} elements. */
    static int[] broadcast(String op, Supplier<String> desc, int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                int a = out[o];
                int b = s[i];
                if (a == b || b == 1) {
                    continue;
                }
                if (a == 1) {
                    out[o] = b;
                } else {
                    throw new IllegalArgumentException(op + ": shapes are not broadcastable: " + desc.get()
                            + " (size " + a + " vs " + b + " at dimension " + (o - rank) + ")");
                }
            }
        }
        numel(op, out);
        return out;
    }

    /** Resolves one -1 entry so that the shape holds {@code numel} elements. */
    static int[] inferSize(String op, int[] shape, int numel, Supplier<String> desc) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + str(shape));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + out[i] + " in " + str(shape));
            } else {
                known = Math.min(known * out[i], (long) MAX_ELEMENTS + 1); // saturates above any array's numel
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for " + desc.get() + " with " + numel + " elements");
            }
            out[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for " + desc.get() + " with " + numel + " elements");
        }
        return out;
    }

    /**
     * Strides for viewing (shape, strides) as newShape without a copy, or null if impossible
     * (PyTorch's computeStride).
     */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int numel = 1;
        for (int s : oldShape) {
            numel *= s;
        }
        int[] newStrides = new int[newShape.length];
        if (numel == 0 || oldShape.length == 0) {
            return contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int td = oldShape.length - 1; td >= 0; td--) {
            tensorNumel *= oldShape[td];
            if (td == 0 || (oldShape[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (td > 0) {
                    chunkBase = oldStrides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }

    /** True if {@code shape} with {@code strides} is dense in row-major order (size-1 dims may have any stride). */
    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }
}
