package dev.kasane.backend.cpu;

import java.util.function.Supplier;

/**
 * Walks the elements of several same-shaped strided operands as a sequence of 1-D runs along the innermost
 * dimension. Dimensions are first coalesced: size-1 dimensions are dropped and adjacent dimensions that are
 * contiguous with respect to each other in every operand are merged, so contiguous and same-layout operands
 * become a single run.
 */
final class Iteration {
    private Iteration() {
    }

    /** Receives one run: {@code offsets[k]} is operand {@code k}'s first element, {@code n} the run length. */
    interface RunKernel {
        void run(int[] offsets, int n);
    }

    /** A coalesced iteration space. The innermost dimension is the last; a 0-d space has one run of length 1. */
    static final class Plan {
        final int[] shape;
        final int[][] strides;
        final int[] base;
        final int numel;

        Plan(int[] shape, int[][] strides, int[] base) {
            this.shape = shape;
            this.strides = strides;
            this.base = base;
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            this.numel = n;
        }

        int rank() {
            return shape.length;
        }

        /** Stride of {@code operand} along the innermost dimension (0 for a 0-d space). */
        int innerStride(int operand) {
            int r = shape.length;
            return r == 0 ? 0 : strides[operand][r - 1];
        }

        int innerSize() {
            return shape.length == 0 ? 1 : shape[shape.length - 1];
        }
    }

    /**
     * A plan for an order-independent elementwise op; operand 0 is the destination. Dimensions are ordered by
     * the destination's strides and flipped where the destination's stride is negative, so the destination is
     * written forwards and as contiguously as possible.
     */
    static Plan elementwise(int[] shape, View... ops) {
        int n = ops.length;
        int rank = shape.length;
        int[] sh = new int[rank];
        int[][] st = new int[n][rank];
        int[] base = new int[n];
        int r = 0;
        for (int k = 0; k < n; k++) {
            base[k] = ops[k].offset;
        }
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 0) {
                return new Plan(new int[] {0}, new int[n][1], base);
            }
            if (shape[d] == 1) {
                continue;
            }
            boolean flip = ops[0].strides[d] < 0;
            for (int k = 0; k < n; k++) {
                int s = ops[k].strides[d];
                if (flip) {
                    base[k] += (shape[d] - 1) * s;
                    s = -s;
                }
                st[k][r] = s;
            }
            sh[r++] = shape[d];
        }
        // Stable insertion sort of dimensions by descending destination stride.
        for (int i = 1; i < r; i++) {
            for (int j = i; j > 0 && st[0][j - 1] < st[0][j]; j--) {
                swap(sh, j, j - 1);
                for (int k = 0; k < n; k++) {
                    swap(st[k], j, j - 1);
                }
            }
        }
        return merge(sh, st, base, r);
    }

    /** A plan that keeps the dimension order (for order-dependent walks); only drops size-1 dims and merges. */
    static Plan ordered(int[] shape, int[][] strides, int[] offsets) {
        int n = strides.length;
        int rank = shape.length;
        int[] sh = new int[rank];
        int[][] st = new int[n][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 0) {
                return new Plan(new int[] {0}, new int[n][1], offsets.clone());
            }
            if (shape[d] == 1) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                st[k][r] = strides[k][d];
            }
            sh[r++] = shape[d];
        }
        return merge(sh, st, offsets.clone(), r);
    }

    private static Plan merge(int[] sh, int[][] st, int[] base, int r) {
        int n = st.length;
        int out = 0;
        for (int d = 0; d < r; d++) {
            if (out > 0 && mergeable(sh, st, out - 1, d)) {
                sh[out - 1] *= sh[d];
                for (int k = 0; k < n; k++) {
                    st[k][out - 1] = st[k][d];
                }
            } else {
                sh[out] = sh[d];
                for (int k = 0; k < n; k++) {
                    st[k][out] = st[k][d];
                }
                out++;
            }
        }
        int[] fs = java.util.Arrays.copyOf(sh, out);
        int[][] fst = new int[n][];
        for (int k = 0; k < n; k++) {
            fst[k] = java.util.Arrays.copyOf(st[k], out);
        }
        return new Plan(fs, fst, base);
    }

    private static boolean mergeable(int[] sh, int[][] st, int outer, int inner) {
        for (int[] s : st) {
            if ((long) s[outer] != (long) s[inner] * sh[inner]) {
                return false;
            }
        }
        return true;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Runs {@code kernel} over the elements with linear (row-major, in plan order) index in {@code [lo, hi)}. */
    static void forRange(Plan p, int lo, int hi, RunKernel kernel) {
        forRange(p, p.base, lo, hi, kernel);
    }

    /** Like {@link #forRange(Plan, int, int, RunKernel)} with the operands' base offsets replaced by {@code base}. */
    static void forRange(Plan p, int[] base, int lo, int hi, RunKernel kernel) {
        if (lo >= hi) {
            return;
        }
        int nOps = base.length;
        int[] off = base.clone();
        int rank = p.rank();
        if (rank == 0) {
            kernel.run(off, 1);
            return;
        }
        int[] idx = new int[rank];
        int rem = lo;
        for (int d = rank - 1; d >= 0; d--) {
            idx[d] = rem % p.shape[d];
            rem /= p.shape[d];
            for (int k = 0; k < nOps; k++) {
                off[k] += idx[d] * p.strides[k][d];
            }
        }
        int last = rank - 1;
        int innerSize = p.shape[last];
        int pos = lo;
        while (pos < hi) {
            int n = Math.min(innerSize - idx[last], hi - pos);
            kernel.run(off, n);
            pos += n;
            if (pos >= hi) {
                return;
            }
            // advance: the run always ends at the end of the innermost dimension here
            for (int k = 0; k < nOps; k++) {
                off[k] -= idx[last] * p.strides[k][last];
            }
            idx[last] = 0;
            for (int d = last - 1; d >= 0; d--) {
                idx[d]++;
                for (int k = 0; k < nOps; k++) {
                    off[k] += p.strides[k][d];
                }
                if (idx[d] < p.shape[d]) {
                    break;
                }
                idx[d] = 0;
                for (int k = 0; k < nOps; k++) {
                    off[k] -= p.shape[d] * p.strides[k][d];
                }
            }
        }
    }

    /** Writes into {@code out} each operand's offset of the element with linear index {@code linear}. */
    static void offsetsAt(Plan p, int linear, int[] out) {
        System.arraycopy(p.base, 0, out, 0, p.base.length);
        int rem = linear;
        for (int d = p.rank() - 1; d >= 0; d--) {
            int i = rem % p.shape[d];
            rem /= p.shape[d];
            for (int k = 0; k < out.length; k++) {
                out[k] += i * p.strides[k][d];
            }
        }
    }

    /**
     * Runs a kernel over the whole plan, cut into tasks of at least {@code grain} elements; each task gets its own
     * kernel from {@code kernels} (so kernels may hold scratch buffers).
     */
    static void run(Parallel par, Plan p, int grain, Supplier<RunKernel> kernels) {
        int total = p.numel;
        if (total == 0) {
            return;
        }
        int tasks = Parallel.tasksFor(total, grain, 64);
        if (tasks == 1) {
            forRange(p, 0, total, kernels.get());
            return;
        }
        par.run(tasks, t -> {
            int lo = (int) ((long) total * t / tasks);
            int hi = (int) ((long) total * (t + 1) / tasks);
            forRange(p, lo, hi, kernels.get());
        });
    }
}
