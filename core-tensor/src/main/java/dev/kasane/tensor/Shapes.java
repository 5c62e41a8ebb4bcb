package dev.kasane.tensor;

import java.util.Arrays;
import java.util.function.Supplier;

/** Shape arithmetic shared by the ops: broadcasting, strides, dimension normalisation. */
final class Shapes {
    private Shapes() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static int numel(String op, int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
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

    /** NumPy broadcasting of any number of shapes. */
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
                known *= out[i];
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
