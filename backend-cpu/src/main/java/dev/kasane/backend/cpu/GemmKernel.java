package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import java.util.Arrays;

/**
 * One dtype's GEMM building blocks for {@link Gemm}: packing of A into row panels of {@link #mr} rows and of B
 * into column panels of {@link #nr} columns (zero padded), and the {@code mr x nr} register-blocked micro-kernel.
 * Arrays are passed as {@code Object} so the driver is shared by F32 and F64; each call does a whole tile.
 */
abstract class GemmKernel {
    final int mr;
    final int nr;
    /** F32 or F64: the element type of every array the kernel is given ({@code float[]} or {@code double[]}). */
    final DType dtype;
    /** Row offsets of a packed B panel, {@code k * nr}: the {@code bRows} of {@link #micro} for packed operands. */
    final int[] packedRows;

    GemmKernel(int mr, int nr, DType dtype) {
        this.mr = mr;
        this.nr = nr;
        this.dtype = dtype;
        this.packedRows = new int[Gemm.KC];
        for (int k = 0; k < packedRows.length; k++) {
            packedRows[k] = k * nr;
        }
    }

    /**
     * A kernel of the same dtype for products at most {@code narrow().nr} columns wide, whose panels waste less of each
     * FMA on them than this kernel's; this kernel itself when it has none.
     */
    GemmKernel narrow() {
        return this;
    }

    /** A short name for logs, e.g. "scalar F32 4x8"; the Vector API kernels name their vectors too. */
    String describe() {
        return "scalar " + dtype + " " + mr + "x" + nr;
    }

    /** A new array of {@code n} elements of the kernel's dtype. */
    final Object alloc(int n) {
        return dtype == DType.F64 ? new double[n] : new float[n];
    }

    /** Packs A[i][k] = a[off + i*rs + k*cs] for {@code i < m, k < kc} into panels of {@code mr} rows. */
    abstract void packA(Object a, int off, int rs, int cs, int m, int kc, Object dst);

    /**
     * Packs B[k][j] = b[off + k*rs + j*cs] for {@code k < kc, j < n} into panels of {@code nr} columns, the first
     * at {@code dst[dstOff]}.
     */
    abstract void packB(Object b, int off, int rs, int cs, int kc, int n, Object dst, int dstOff);

    /**
     * {@code C[i][j] (+)= sum_k Ap[aOff + k*mr + i] * B[k][j]} for a full {@code mr x nr} tile at {@code c[cOff]} with row
     * stride {@code ldc}, where row {@code k} of B is the {@code nr} elements from {@code b[bOff + bRows[row0 + k]]}:
     * a packed panel ({@link #packedRows}) or rows read in place (a convolution's taps over its padded input). The
     * products are summed from zero, in k order, and then added to C when {@code accumulate}.
     */
    abstract void micro(int kc, Object ap, int aOff, Object b, int bOff, int[] bRows, int row0, Object c, int cOff, int ldc,
            boolean accumulate);

    /**
     * {@link #micro} with A read in place and B packed: {@code C[i][j] (+)= sum_k a[aOff + aRows[aRow0 + i] + k] *
     * Bp[bOff + k*nr + j]} for a full {@code mr x nr} tile (A's rows are contiguous along k, at any offsets: a
     * convolution's taps over its padded input).
     */
    abstract void microRowsA(int kc, Object a, int aOff, int[] aRows, int aRow0, Object bp, int bOff, Object c, int cOff,
            int ldc, boolean accumulate);

    /**
     * {@code c[i * n + j] (+)= sum_{q < k} a[aRows[i] + q] * b[j * k + q]} for {@code i < m, j < n}: rows of A read in
     * place times the rows of a small dense B, as dot products along k, for products too thin for panels (a
     * convolution's weight gradient with few output channels, where N = the channel count and K = the pixels). Sums
     * in an order fixed by k. A kernel without this loop, or for k shorter than its vectors, returns false and does
     * nothing.
     */
    boolean dotRows(Object a, int[] aRows, int m, Object b, int n, int k, Object c, boolean accumulate) {
        return false;
    }

    /** Adds (or copies) the top-left {@code m x n} corner of {@code tile} (row stride {@link #nr}) into C. */
    abstract void addTile(Object tile, int m, int n, Object c, int cOff, int ldc, boolean accumulate);

    /** Fills {@code n} elements of C with zero (the K = 0 case). */
    final void zero(Object c, int off, int n) {
        if (dtype == DType.F64) {
            Arrays.fill((double[]) c, off, off + n, 0.0);
        } else {
            Arrays.fill((float[]) c, off, off + n, 0f);
        }
    }
}
