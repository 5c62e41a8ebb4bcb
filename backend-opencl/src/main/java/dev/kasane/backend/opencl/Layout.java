package dev.kasane.backend.opencl;

import dev.kasane.tensor.NDArray;
import java.util.Arrays;

/**
 * A strided iteration space shared by up to {@link #OPS} operands, passed to kernels by value as the
 * {@code Layout} struct of {@code common.cl}: element {@code i} (row-major over {@link #shape}) of operand {@code q}
 * is at {@code off[q] + sum_d coord_d * st[q][d]}.
 *
 * <p>{@link #collapsed} drops size-1 dimensions and merges neighbours that every operand walks as one run, so a
 * contiguous array of any rank becomes rank 1 and takes the contiguous kernels.
 */
final class Layout {
    /** Maximum rank after collapsing. */
    static final int MAX_RANK = 16;
    /** Maximum number of operands. */
    static final int OPS = 4;
    /** Size of the packed struct in ints. */
    static final int INTS = 1 + MAX_RANK + OPS * MAX_RANK + OPS;

    final int rank;
    final int[] shape;
    final int[][] st;
    final int[] off;

    private Layout(int rank, int[] shape, int[][] st, int[] off) {
        this.rank = rank;
        this.shape = shape;
        this.st = st;
        this.off = off;
    }

    /** The collapsed layout of {@code arrays}, which all have the same shape. */
    static Layout of(String op, NDArray... arrays) {
        int[][] strides = new int[arrays.length][];
        int[] offsets = new int[arrays.length];
        for (int q = 0; q < arrays.length; q++) {
            strides[q] = arrays[q].strides();
            offsets[q] = arrays[q].offset();
        }
        return collapsed(op, arrays[0].shape(), strides, offsets);
    }

    /** Drops size-1 dimensions and merges dimensions that are one run for every operand. */
    static Layout collapsed(String op, int[] shape, int[][] strides, int[] offsets) {
        int nops = strides.length;
        int[] sh = new int[shape.length];
        int[][] st = new int[nops][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int q = 0; q < nops && merge; q++) {
                merge = st[q][r - 1] == strides[q][d] * shape[d];
            }
            if (merge) {
                sh[r - 1] *= shape[d];
                for (int q = 0; q < nops; q++) {
                    st[q][r - 1] = strides[q][d];
                }
            } else {
                sh[r] = shape[d];
                for (int q = 0; q < nops; q++) {
                    st[q][r] = strides[q][d];
                }
                r++;
            }
        }
        return make(op, r, sh, st, offsets);
    }

    /** The layout exactly as given (no collapsing), e.g. when one dimension has a special role. */
    static Layout raw(String op, int[] shape, int[][] strides, int[] offsets) {
        return make(op, shape.length, shape.clone(), strides, offsets);
    }

    private static Layout make(String op, int rank, int[] sh, int[][] st, int[] offsets) {
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException(op + ": the OpenCL backend handles at most " + MAX_RANK
                    + " non-mergeable dimensions, got shape " + Arrays.toString(Arrays.copyOf(sh, rank)));
        }
        if (st.length > OPS) {
            throw new IllegalStateException(op + ": too many operands " + st.length);
        }
        int[][] s = new int[st.length][];
        for (int q = 0; q < st.length; q++) {
            s[q] = Arrays.copyOf(st[q], rank);
        }
        return new Layout(rank, Arrays.copyOf(sh, rank), s, offsets.clone());
    }

    /** True if every operand is dense from its offset (rank 0, or rank 1 with unit strides). */
    boolean contiguous() {
        if (rank == 0) {
            return true;
        }
        if (rank > 1) {
            return false;
        }
        for (int[] s : st) {
            if (s[0] != 1) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements. */
    int numel() {
        int n = 1;
        for (int i = 0; i < rank; i++) {
            n *= shape[i];
        }
        return n;
    }

    /**
     * The work items of a strided elementwise kernel whose items take runs of up to {@code run} elements of one row
     * ({@code STRIDED_RUN} in {@code common.cl}): rows times runs per row.
     */
    int runItems(int run) {
        int w = rank > 0 ? shape[rank - 1] : 1;
        return runItems(numel() / w, w, run);
    }

    /** The work items that take runs of up to {@code run} elements of {@code rows} rows of {@code width} ({@code row_run}). */
    static int runItems(int rows, int width, int run) {
        return rows * ((width + run - 1) / run);
    }

    /** The struct as ints: rank, shape[MAX_RANK], st[OPS][MAX_RANK], off[OPS]. */
    int[] pack() {
        int[] p = new int[INTS];
        p[0] = rank;
        System.arraycopy(shape, 0, p, 1, rank);
        for (int q = 0; q < st.length; q++) {
            System.arraycopy(st[q], 0, p, 1 + MAX_RANK + q * MAX_RANK, rank);
        }
        System.arraycopy(off, 0, p, 1 + MAX_RANK + OPS * MAX_RANK, off.length);
        return p;
    }

    /** Row-major strides of a dense array of {@code shape}. */
    static int[] denseStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }
}
