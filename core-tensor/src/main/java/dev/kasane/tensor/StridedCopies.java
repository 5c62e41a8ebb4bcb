package dev.kasane.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link NDArray}'s copying ops composed from views and the backend's strided copy: concatenation, stacking, padding
 * in every {@link PadMode}, flipping and tiling. Each writes a new array through views of it, so a backend needs no
 * kernel of its own for them.
 */
final class StridedCopies {
    private StridedCopies() {
    }

    /** {@link NDArray#cat}: arrays joined along {@code dim}, dtypes promoted. */
    static NDArray cat(List<NDArray> arrays, int dim) {
        String op = "cat";
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected a non-empty list of arrays");
        }
        NDArray first = arrays.get(0);
        int[] firstShape = first.layout().shape();
        int d = Shapes.dim(op, dim, first.dim(), first::describe);
        DType t = first.dtype();
        long total = 0;
        for (NDArray a : arrays) {
            Checks.checkSameDevice(op, first, a);
            t = DType.promote(t, a.dtype());
            int[] s = a.layout().shape();
            boolean ok = s.length == firstShape.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == d || s[i] == firstShape[i];
            }
            if (!ok) {
                throw new IllegalArgumentException(op + ": arrays must match except in dimension " + dim + ", got "
                        + first.describe() + " and " + a.describe());
            }
            total += s[d];
        }
        int[] s = firstShape.clone();
        s[d] = Shapes.size(op, total, d, () -> "the sum of dimension " + dim + " of " + arrays.size() + " arrays like "
                + first.describe());
        NDArray out = NDArray.empty(op, t, first.device(), s);
        int at = 0;
        for (NDArray a : arrays) {
            int n = a.layout().shape()[d];
            out.narrow(d, at, n).copyUnchecked(a);
            at += n;
        }
        return out;
    }

    /** {@link NDArray#stack}: same-shaped arrays joined along a new dim {@code dim}. */
    static NDArray stack(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of arrays");
        }
        NDArray first = arrays.get(0);
        List<NDArray> u = new ArrayList<>();
        for (NDArray a : arrays) {
            if (!Arrays.equals(a.layout().shape(), first.layout().shape())) {
                throw new IllegalArgumentException("stack: all arrays must have the same shape, got " + first.describe()
                        + " and " + a.describe());
            }
            u.add(a.unsqueeze(dim));
        }
        int d = Shapes.dim("stack", dim, first.dim() + 1, first::describe);
        int[] s = u.get(0).layout().shape().clone();
        s[d] = arrays.size();
        Shapes.numel("stack", s);
        return cat(u, d);
    }

    /** {@link NDArray#pad(int[], PadMode, double)}: negative pads crop first, then the border is filled. */
    static NDArray pad(NDArray x, int[] pad, PadMode mode, double value) {
        int rank = x.dim();
        if (pad.length % 2 != 0 || pad.length / 2 > rank) {
            throw new IllegalArgumentException("pad: pad " + Shapes.str(pad) + " must have an even length of at most 2 x "
                    + rank + " for " + x.describe());
        }
        int[] before = new int[rank];
        int[] after = new int[rank];
        for (int i = 0; i < pad.length / 2; i++) {
            before[rank - 1 - i] = pad[2 * i];
            after[rank - 1 - i] = pad[2 * i + 1];
        }
        NDArray src = x;
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) {
            src = cropped(src, x, pad, mode, d, before[d], after[d]);
            before[d] = Math.max(0, before[d]);
            after[d] = Math.max(0, after[d]);
            s[d] = Shapes.size("pad", (long) src.size(d) + before[d] + after[d], d, () -> x.describe() + " padded by "
                    + Shapes.str(pad));
        }
        NDArray out = NDArray.empty("pad", x.dtype(), x.device(), s);
        if (mode == PadMode.CONSTANT) {
            out.fillUnchecked(value);
        }
        NDArray interior = out;
        for (int d = 0; d < rank; d++) {
            interior = interior.narrow(d, before[d], src.size(d));
        }
        interior.copyUnchecked(src);
        for (int d = 0; mode != PadMode.CONSTANT && d < rank; d++) {
            fillBorders(out, mode, d, before[d], src.size(d), after[d]);
        }
        return out;
    }

    /** Checks the pads {@code b} and {@code a} of dim {@code d} of {@code x} and crops {@code src} by negative ones. */
    private static NDArray cropped(NDArray src, NDArray x, int[] pad, PadMode mode, int d, int b, int a) {
        int n = x.size(d);
        if (mode != PadMode.CONSTANT && (b < 0 || a < 0)) {
            throw new IllegalArgumentException("pad: negative padding is only allowed in CONSTANT mode, got "
                    + Shapes.str(pad) + " for " + x.describe());
        }
        if (mode == PadMode.REFLECT && (b > 0 || a > 0) && (b >= n || a >= n)) {
            throw tooWide("REFLECT padding must be smaller than", x, pad, d);
        }
        if ((mode == PadMode.REPLICATE || mode == PadMode.CIRCULAR) && n == 0 && b + a > 0) {
            throw new IllegalArgumentException("pad: cannot " + mode + "-pad an empty dimension " + d + " of " + x.describe());
        }
        if (mode == PadMode.CIRCULAR && (b > n || a > n)) {
            throw tooWide("CIRCULAR padding must not exceed", x, pad, d);
        }
        int cropBefore = Math.max(0, -b);
        int cropAfter = Math.max(0, -a);
        if (cropBefore + cropAfter > n) {
            throw new IllegalArgumentException("pad: negative padding " + Shapes.str(pad) + " removes more than dimension "
                    + d + " of " + x.describe());
        }
        return src.narrow(d, cropBefore, src.size(d) - cropBefore - cropAfter);
    }

    private static IllegalArgumentException tooWide(String rule, NDArray x, int[] pad, int d) {
        return new IllegalArgumentException("pad: " + rule + " the size " + x.size(d) + " of dimension " + d + ", got "
                + Shapes.str(pad) + " for " + x.describe());
    }

    /** Fills the {@code b} cells before and {@code a} cells after the {@code n} interior cells of dim {@code d}. */
    private static void fillBorders(NDArray out, PadMode mode, int d, int b, int n, int a) {
        if (b > 0) {
            out.narrow(d, 0, b).copyUnchecked(borderSource(out, mode, d, b, b + 1, b, n));
        }
        if (a > 0) {
            out.narrow(d, b + n, a).copyUnchecked(borderSource(out, mode, d, a, b + n - 1 - a, b + n - 1, b));
        }
    }

    /**
     * The {@code width} cells of dim {@code d} a border copies: mirrored from {@code reflectFrom}, the edge cell
     * {@code edge} repeated, or wrapped around from {@code wrapFrom}.
     */
    private static NDArray borderSource(NDArray out, PadMode mode, int d, int width, int reflectFrom, int edge, int wrapFrom) {
        switch (mode) {
            case REFLECT:
                return flipped(out.narrow(d, reflectFrom, width), d);
            case REPLICATE:
                int[] s = out.shape();
                s[d] = width;
                return out.narrow(d, edge, 1).expand(s);
            default:
                return out.narrow(d, wrapFrom, width);
        }
    }

    private static NDArray flipped(NDArray a, int d) {
        return a.slice(d, -1, Integer.MIN_VALUE, -1);
    }

    /** {@link NDArray#flip}: a copy reversed along each of {@code dims}. */
    static NDArray flip(NDArray a, int[] dims) {
        boolean[] mask = Shapes.dimMask("flip", dims, a.dim(), a::describe);
        NDArray v = a;
        for (int d = 0; d < mask.length; d++) {
            if (mask[d]) {
                v = flipped(v, d);
            }
        }
        return v.copy();
    }

    /** {@link NDArray#repeat}: the array tiled {@code repeats[i]} times along each dim, through one broadcast copy. */
    static NDArray repeat(NDArray a, int[] repeats) {
        int[] shape = a.layout().shape();
        if (repeats.length < shape.length) {
            throw new IllegalArgumentException("repeat: need at least " + shape.length + " repeat counts for " + a.describe()
                    + ", got " + Shapes.str(repeats));
        }
        int lead = repeats.length - shape.length;
        int[] padded = new int[repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("repeat: negative count in " + Shapes.str(repeats));
            }
            padded[i] = i < lead ? 1 : shape[i - lead];
        }
        int[] inter = new int[2 * repeats.length];
        int[] exp = new int[2 * repeats.length];
        int[] fin = new int[repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = padded[i];
            exp[2 * i] = repeats[i];
            exp[2 * i + 1] = padded[i];
            fin[i] = Shapes.size("repeat", (long) repeats[i] * padded[i], i, () -> a.describe() + " repeated "
                    + Shapes.str(repeats));
        }
        Shapes.numel("repeat", fin);
        return a.reshape(padded).reshape(inter).expand(exp).copy().view(fin);
    }
}
