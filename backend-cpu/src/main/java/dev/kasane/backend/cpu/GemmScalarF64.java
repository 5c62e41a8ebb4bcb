package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The F64 GEMM kernel in its plain reference form: packing and micro-kernels as single loop nests over the tile, for
 * any {@code mr x nr} (4x8 by default). F64 serves exactness (gradchecks, parity fixtures), not speed: this form
 * replaced a register-blocked copy of {@link GemmScalarF32} and rounds the same (each product summed from zero in k
 * order, then added to C). {@link GemmVectorF64} keeps this packing and brings its own micro-kernel.
 */
class GemmScalarF64 extends GemmKernel {
    GemmScalarF64() {
        this(4, 8);
    }

    /** Row offsets {@code i} of a packed A panel: the {@code aRows} of {@link #micro}'s packed operand. */
    private final int[] identityRows;

    GemmScalarF64(int mr, int nr) {
        super(mr, nr, DType.F64);
        identityRows = new int[mr];
        for (int i = 0; i < mr; i++) {
            identityRows[i] = i;
        }
    }

    /** Panel {@code p}, element {@code (k, i)} at {@code d[p * mr * kc + k * mr + i]}; rows past {@code m} are zero. */
    @Override
    final void packA(Object src, int off, int rs, int cs, int m, int kc, Object dst) {
        double[] a = (double[]) src;
        double[] d = (double[]) dst;
        for (int i0 = 0, t = 0; i0 < m; i0 += mr) {
            for (int k = 0; k < kc; k++) {
                for (int i = i0; i < i0 + mr; i++, t++) {
                    d[t] = i < m ? a[off + i * rs + k * cs] : 0.0;
                }
            }
        }
    }

    /** Panel {@code q}, element {@code (k, j)} at {@code d[dstOff + q * nr * kc + k * nr + j]}; columns past n are zero. */
    @Override
    final void packB(Object src, int off, int rs, int cs, int kc, int n, Object dst, int dstOff) {
        double[] b = (double[]) src;
        double[] d = (double[]) dst;
        for (int j0 = 0, t = dstOff; j0 < n; j0 += nr) {
            for (int k = 0; k < kc; k++) {
                for (int j = j0; j < j0 + nr; j++, t++) {
                    d[t] = j < n ? b[off + k * rs + j * cs] : 0.0;
                }
            }
        }
    }

    @Override
    void micro(int kc, Object apObj, int aOff, Object bObj, int bOff, int[] bRows, int row0, Object cObj, int cOff, int ldc,
            boolean accumulate) {
        tile(kc, (double[]) apObj, aOff, identityRows, 0, mr, (double[]) bObj, bOff, bRows, row0, (double[]) cObj, cOff, ldc,
                accumulate);
    }

    @Override
    final void microRowsA(int kc, Object aObj, int aOff, int[] aRows, int aRow0, Object bpObj, int bOff, Object cObj, int cOff,
            int ldc, boolean accumulate) {
        tile(kc, (double[]) aObj, aOff, aRows, aRow0, 1, (double[]) bpObj, bOff, packedRows, 0, (double[]) cObj, cOff, ldc,
                accumulate);
    }

    /**
     * Both micro-kernels: {@code C[i][j] (+)= sum_k A(i, k) * B(k, j)} over a full {@code mr x nr} tile, with
     * {@code A(i, k) = a[aOff + aRows[aRow0 + i] + k * aStep]} and {@code B(k, j) = b[bOff + bRows[bRow0 + k] + j]}.
     */
    private void tile(int kc, double[] a, int aOff, int[] aRows, int aRow0, int aStep, double[] b, int bOff, int[] bRows,
            int bRow0, double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < mr; i++) {
            int aRow = aOff + aRows[aRow0 + i];
            for (int j = 0; j < nr; j++) {
                double sum = 0.0;
                for (int k = 0; k < kc; k++) {
                    sum += a[aRow + k * aStep] * b[bOff + bRows[bRow0 + k] + j];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + sum : sum;
            }
        }
    }

    @Override
    final void addTile(Object tileObj, int m, int n, Object cObj, int cOff, int ldc, boolean accumulate) {
        double[] tile = (double[]) tileObj;
        double[] c = (double[]) cObj;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + tile[i * nr + j] : tile[i * nr + j];
            }
        }
    }
}
