package dev.kasane.backend.cpu;

/**
 * One dtype's GEMM building blocks for {@link Gemm}: packing of A into row panels of {@link #mr} rows and of B
 * into column panels of {@link #nr} columns (zero padded), and the {@code mr x nr} register-blocked micro-kernel.
 * Arrays are passed as {@code Object} so the driver is shared by F32 and F64; each call does a whole tile.
 */
abstract class GemmKernel {
    final int mr;
    final int nr;

    GemmKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /** A short name for logs, e.g. "vector 8x32". */
    abstract String describe();

    abstract Object alloc(int n);

    /** Packs A[i][k] = a[off + i*rs + k*cs] for {@code i < m, k < kc} into panels of {@code mr} rows. */
    abstract void packA(Object a, int off, int rs, int cs, int m, int kc, Object dst);

    /**
     * Packs B[k][j] = b[off + k*rs + j*cs] for {@code k < kc, j < n} into panels of {@code nr} columns, the first
     * at {@code dst[dstOff]}.
     */
    abstract void packB(Object b, int off, int rs, int cs, int kc, int n, Object dst, int dstOff);

    /**
     * {@code C[i][j] (+)= sum_k Ap[k*mr + i] * Bp[k*nr + j]} for a full {@code mr x nr} tile at {@code c[cOff]}
     * with row stride {@code ldc}; the products are summed from zero and then added to C when {@code accumulate}.
     */
    abstract void micro(int kc, Object ap, int aOff, Object bp, int bOff, Object c, int cOff, int ldc, boolean accumulate);

    /** Adds (or copies) the top-left {@code m x n} corner of {@code tile} (row stride {@link #nr}) into C. */
    abstract void addTile(Object tile, int m, int n, Object c, int cOff, int ldc, boolean accumulate);

    /** Fills {@code n} elements of C with zero (the K = 0 case). */
    abstract void zero(Object c, int off, int n);
}
