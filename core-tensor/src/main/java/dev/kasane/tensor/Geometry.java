package dev.kasane.tensor;

import java.util.Arrays;

/**
 * The shape, stride and offset arithmetic of {@link NDArray}'s views, with their argument checks: each method reads a
 * source array's {@link Layout} and returns the layout of the view (or the shape to reshape to); {@link NDArray}
 * builds the view over the same storage. Error messages name the op and the source's shape, dtype and device.
 */
final class Geometry {
    private Geometry() {
    }

    /** {@link NDArray#view}: {@code newShape} (one entry may be -1) over the same elements, or an error. */
    static Layout view(NDArray a, int[] newShape) {
        Layout l = a.layout();
        int[] s = Shapes.inferSize("view", newShape, a.numel(), a::describe);
        int[] st = Shapes.viewStrides(l.shape(), l.strides(), s);
        if (st == null) {
            throw new IllegalArgumentException("view: cannot view " + a.describe() + " with strides " + Shapes.str(l.strides())
                    + " as " + Shapes.str(s) + " without a copy; use reshape");
        }
        return new Layout(s, st, l.offset());
    }

    /** {@link NDArray#permute}: dims reordered by the permutation {@code dims}. */
    static Layout permute(NDArray a, int[] dims) {
        Layout l = a.layout();
        int rank = l.shape().length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " is not a permutation of the "
                    + rank + " dims of " + a.describe());
        }
        Shapes.dimMask("permute", dims, rank, a::describe);
        int[] s = new int[dims.length];
        int[] st = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.dim("permute", dims[i], rank, a::describe);
            s[i] = l.shape()[d];
            st[i] = l.strides()[d];
        }
        return new Layout(s, st, l.offset());
    }

    /** {@link NDArray#transpose} of an array with at least one dim: {@code dim0} and {@code dim1} swapped. */
    static Layout transpose(NDArray a, int dim0, int dim1) {
        Layout l = a.layout();
        int x = Shapes.dim("transpose", dim0, l.shape().length, a::describe);
        int y = Shapes.dim("transpose", dim1, l.shape().length, a::describe);
        int[] s = swapped(l.shape(), x, y);
        int[] st = swapped(l.strides(), x, y);
        return new Layout(s, st, l.offset());
    }

    private static int[] swapped(int[] v, int x, int y) {
        int[] r = v.clone();
        r[x] = v[y];
        r[y] = v[x];
        return r;
    }

    /** {@link NDArray#slice(int, int, int, int)}: Python slice semantics, bounds clamped, negative steps allowed. */
    static Layout slice(NDArray a, int dim, int start, int end, int step) {
        Layout l = a.layout();
        int d = Shapes.dim("slice", dim, l.shape().length, a::describe);
        if (step == 0) {
            throw new IllegalArgumentException("slice: step must be non-zero for " + a.describe());
        }
        int n = l.shape()[d];
        long lo;
        int len;
        if (step > 0) {
            lo = clampIndex(start, n, 0, n);
            long hi = clampIndex(end, n, 0, n);
            len = hi > lo ? (int) ((hi - lo + step - 1) / step) : 0;
        } else {
            lo = clampIndex(start, n, -1, n - 1);
            long hi = clampIndex(end, n, -1, n - 1);
            len = lo > hi ? (int) ((lo - hi - step - 1) / -step) : 0;
        }
        int stride = l.strides()[d];
        int off = len == 0 ? l.offset() : l.offset() + (int) lo * stride;
        return new Layout(replaced(l.shape(), d, len), replaced(l.strides(), d, stride * step), off);
    }

    private static long clampIndex(long i, int n, int min, int max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }

    /** {@link NDArray#narrow}: {@code length} elements of {@code dim} from {@code start}, bounds checked. */
    static Layout narrow(NDArray a, int dim, int start, int length) {
        Layout l = a.layout();
        int d = Shapes.dim("narrow", dim, l.shape().length, a::describe);
        int size = l.shape()[d];
        int st = start < 0 ? start + size : start;
        if (st < 0 || length < 0 || (long) st + length > size) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length + " out of range for dimension "
                    + dim + " of size " + size + " in " + a.describe());
        }
        return new Layout(replaced(l.shape(), d, length), l.strides(), l.offset() + st * l.strides()[d]);
    }

    /** {@link NDArray#select}: element {@code index} of {@code dim}, which is removed. */
    static Layout select(NDArray a, int dim, int index) {
        Layout l = a.layout();
        int d = Shapes.dim("select", dim, l.shape().length, a::describe);
        if (l.shape().length == 0) {
            throw new IllegalArgumentException("select: cannot index a 0-d array " + a.describe());
        }
        int size = l.shape()[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("select: index " + index + " out of range for dimension " + dim + " of size "
                    + size + " in " + a.describe());
        }
        return new Layout(removed(l.shape(), d), removed(l.strides(), d), l.offset() + i * l.strides()[d]);
    }

    /**
     * {@link NDArray#expand}: size-1 dims repeated with stride 0, new leading dims added, -1 keeps a size; the view may
     * have at most {@link Shapes#MAX_ELEMENTS} elements.
     */
    static Layout expand(NDArray a, int[] sizes) {
        Layout l = a.layout();
        int[] shape = l.shape();
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: target " + Shapes.str(sizes) + " has fewer dims than " + a.describe());
        }
        int lead = sizes.length - shape.length;
        int[] s = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int want = sizes[i];
            if (i < lead && want < 0) {
                throw new IllegalArgumentException("expand: -1 not allowed for new leading dimension " + i + " in "
                        + Shapes.str(sizes));
            }
            int have = i < lead ? 1 : shape[i - lead];
            if (i >= lead && (want == -1 || want == have)) {
                s[i] = have;
                st[i] = l.strides()[i - lead];
            } else if (have == 1 && want >= 0) {
                s[i] = want;
            } else {
                throw new IllegalArgumentException("expand: cannot expand " + a.describe() + " to " + Shapes.str(sizes)
                        + " (size " + have + " at dimension " + (i - lead) + " is not 1)");
            }
        }
        Shapes.numel("expand", s);
        return new Layout(s, st, l.offset());
    }

    /** {@link NDArray#squeeze()}: every size-1 dim removed. */
    static Layout squeeze(NDArray a) {
        Layout l = a.layout();
        boolean[] ones = new boolean[l.shape().length];
        for (int i = 0; i < ones.length; i++) {
            ones[i] = l.shape()[i] == 1;
        }
        return removed(l, ones);
    }

    /** {@link NDArray#squeeze(int)}: dim {@code dim} removed, or null if it is not of size 1 (or the array is 0-d). */
    static Layout squeeze(NDArray a, int dim) {
        Layout l = a.layout();
        int rank = l.shape().length;
        int d = Shapes.dim("squeeze", dim, rank, a::describe);
        if (rank == 0 || l.shape()[d] != 1) {
            return null;
        }
        return new Layout(removed(l.shape(), d), removed(l.strides(), d), l.offset());
    }

    /** The layout without the dims set in {@code mask} (each of size 1, so the offset stays). */
    static Layout removed(Layout l, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 0 : 1;
        }
        int[] s = new int[n];
        int[] st = new int[n];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (!mask[i]) {
                s[j] = l.shape()[i];
                st[j++] = l.strides()[i];
            }
        }
        return new Layout(s, st, l.offset());
    }

    /** The number of elements a reduction over {@code dims} ({@code null}: all) combines into one. */
    static long reducedCount(NDArray a, String op, int[] dims) {
        int[] shape = a.layout().shape();
        boolean[] mask = Shapes.dimMask(op, dims, shape.length, a::describe);
        long n = 1;
        for (int d = 0; d < mask.length; d++) {
            if (mask[d]) {
                n *= shape[d];
            }
        }
        return n;
    }

    /** The shape with the dims set in {@code mask} reduced to size 1. */
    static int[] keptShape(int[] shape, boolean[] mask) {
        int[] keep = new int[shape.length];
        for (int d = 0; d < keep.length; d++) {
            keep[d] = mask[d] ? 1 : shape[d];
        }
        return keep;
    }

    /** {@link NDArray#unsqueeze}: a size-1 dim inserted at {@code dim}. */
    static Layout unsqueeze(NDArray a, int dim) {
        Layout l = a.layout();
        int[] shape = l.shape();
        int d = Shapes.dim("unsqueeze", dim, shape.length + 1, a::describe);
        int st = d < shape.length ? shape[d] * l.strides()[d] : 1;
        return new Layout(inserted(shape, d, 1), inserted(l.strides(), d, st), l.offset());
    }

    /** {@link NDArray#flatten(int, int)} of an array with at least one dim: the shape to reshape to. */
    static int[] flattenedShape(NDArray a, int startDim, int endDim) {
        int[] shape = a.layout().shape();
        int x = Shapes.dim("flatten", startDim, shape.length, a::describe);
        int y = Shapes.dim("flatten", endDim, shape.length, a::describe);
        if (x > y) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " is after endDim " + endDim + " for "
                    + a.describe());
        }
        int m = 1;
        for (int i = x; i <= y; i++) {
            m *= shape[i];
        }
        int[] s = new int[shape.length - (y - x)];
        System.arraycopy(shape, 0, s, 0, x);
        s[x] = m;
        System.arraycopy(shape, y + 1, s, x + 1, shape.length - y - 1);
        return s;
    }

    /** {@link NDArray#unflatten}: the shape with dim {@code dim} split into {@code sizes} (one may be -1). */
    static int[] unflattenedShape(NDArray a, int dim, int[] sizes) {
        int[] shape = a.layout().shape();
        int d = Shapes.dim("unflatten", dim, shape.length, a::describe);
        int[] inner = Shapes.inferSize("unflatten", sizes, shape[d], () -> "dimension " + dim + " of " + a.describe());
        int[] s = new int[shape.length - 1 + inner.length];
        System.arraycopy(shape, 0, s, 0, d);
        System.arraycopy(inner, 0, s, d, inner.length);
        System.arraycopy(shape, d + 1, s, d + inner.length, shape.length - d - 1);
        return s;
    }

    /**
     * {@link NDArray#asStrided}: checks that the view has at most {@link Shapes#MAX_ELEMENTS} elements and that every
     * element it reaches lies in the storage of {@code a}.
     */
    static Layout asStrided(NDArray a, int[] newShape, int[] newStrides, int storageOffset) {
        if (newShape.length != newStrides.length) {
            throw new IllegalArgumentException("asStrided: shape " + Shapes.str(newShape) + " and strides "
                    + Shapes.str(newStrides) + " differ in length");
        }
        if (storageOffset < 0) {
            throw new IllegalArgumentException("asStrided: negative storage offset " + storageOffset + " for " + a.describe());
        }
        boolean empty = Shapes.numel("asStrided", newShape) == 0;
        long lo = storageOffset;
        long hi = storageOffset;
        for (int i = 0; i < newShape.length; i++) {
            // a non-empty view has below 2^31 elements, so its sizes above 1 add up to below 2^31 and lo and hi stay
            // within +-2^62 (an empty one reaches nothing)
            long span = (long) (newShape[i] - 1) * newStrides[i];
            if (span > 0) {
                hi += span;
            } else {
                lo += span;
            }
        }
        int size = a.storage().size();
        if (!empty && (lo < 0 || hi >= size)) {
            throw new IllegalArgumentException("asStrided: shape " + Shapes.str(newShape) + ", strides " + Shapes.str(newStrides)
                    + " and offset " + storageOffset + " reach elements [" + lo + ", " + hi + "] outside the storage of "
                    + size + " elements of " + a.describe());
        }
        return new Layout(newShape.clone(), newStrides.clone(), storageOffset);
    }

    /** {@link NDArray#split(int, int)}: the sizes of the pieces of dim {@code d}, all {@code splitSize} but the last. */
    static int[] evenSplit(NDArray a, int d, int splitSize) {
        int n = a.layout().shape()[d];
        if (splitSize <= 0 && n > 0) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize + " for " + a.describe());
        }
        int[] sizes = new int[n == 0 ? 0 : (int) (((long) n + splitSize - 1) / splitSize)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.min(splitSize, n - i * splitSize);
        }
        return sizes;
    }

    /** {@link NDArray#split(int[], int)}: checks that {@code sizes} are non-negative and add up to dim {@code d}. */
    static void checkSplit(NDArray a, int[] sizes, int dim, int d) {
        long total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative size in " + Shapes.str(sizes));
            }
            total += s;
        }
        int n = a.layout().shape()[d];
        if (total != n) {
            throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " add up to " + total + ", not the size "
                    + n + " of dimension " + dim + " of " + a.describe());
        }
    }

    /** {@link NDArray#chunk}: the size of each of at most {@code chunks} pieces of dim {@code dim} (at least 1). */
    static int chunkSize(NDArray a, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int[] shape = a.layout().shape();
        int n = shape[Shapes.dim("chunk", dim, shape.length, a::describe)];
        return Math.max((n + chunks - 1) / chunks, 1);
    }

    private static int[] replaced(int[] v, int i, int x) {
        int[] r = v.clone();
        r[i] = x;
        return r;
    }

    private static int[] removed(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static int[] inserted(int[] a, int i, int v) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }
}
