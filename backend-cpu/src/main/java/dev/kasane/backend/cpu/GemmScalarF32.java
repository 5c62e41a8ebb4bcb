package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/** F32 GEMM packing and a plain-Java 4x8 register-blocked micro-kernel. */
class GemmScalarF32 extends GemmKernel {
    GemmScalarF32() {
        this(4, 8);
    }

    GemmScalarF32(int mr, int nr) {
        super(mr, nr, DType.F32);
    }

    @Override
    final void packA(Object src, int off, int rs, int cs, int m, int kc, Object dst) {
        float[] a = (float[]) src;
        float[] d = (float[]) dst;
        int mr = this.mr;
        for (int p = 0; p * mr < m; p++) {
            int base = p * mr * kc;
            int rows = Math.min(mr, m - p * mr);
            int rowOff = off + p * mr * rs;
            if (rows < mr) {
                java.util.Arrays.fill(d, base, base + mr * kc, 0f);
            }
            if (cs == 1) {
                for (int i = 0; i < rows; i++) {
                    int s = rowOff + i * rs;
                    for (int k = 0; k < kc; k++) {
                        d[base + k * mr + i] = a[s + k];
                    }
                }
            } else {
                for (int k = 0; k < kc; k++) {
                    int s = rowOff + k * cs;
                    int t = base + k * mr;
                    for (int i = 0; i < rows; i++) {
                        d[t + i] = a[s + i * rs];
                    }
                }
            }
        }
    }

    @Override
    final void packB(Object src, int off, int rs, int cs, int kc, int n, Object dst, int dstOff) {
        float[] b = (float[]) src;
        float[] d = (float[]) dst;
        int nr = this.nr;
        for (int q = 0; q * nr < n; q++) {
            int base = dstOff + q * nr * kc;
            int cols = Math.min(nr, n - q * nr);
            int colOff = off + q * nr * cs;
            if (cols < nr) {
                java.util.Arrays.fill(d, base, base + nr * kc, 0f);
            }
            if (cs == 1) {
                for (int k = 0; k < kc; k++) {
                    System.arraycopy(b, colOff + k * rs, d, base + k * nr, cols);
                }
            } else {
                // A transpose: 16 rows at a time, so that the panel rows written stay in L1 while each column
                // reads a run of its (usually contiguous) cells
                for (int k0 = 0; k0 < kc; k0 += 16) {
                    int k1 = Math.min(kc, k0 + 16);
                    for (int j = 0; j < cols; j++) {
                        int s = colOff + j * cs;
                        for (int k = k0; k < k1; k++) {
                            d[base + k * nr + j] = b[s + k * rs];
                        }
                    }
                }
            }
        }
    }

    /** A 4x8 register-blocked kernel with one local per accumulator (valid for the 4x8 geometry only). */
    @Override
    void micro(int kc, Object apObj, int aOff, Object bObj, int bOff, int[] bRows, int row0, Object cObj, int cOff, int ldc,
            boolean accumulate) {
        float[] ap = (float[]) apObj;
        float[] bp = (float[]) bObj;
        float[] c = (float[]) cObj;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
        for (int k = 0, ai = aOff; k < kc; k++, ai += 4) {
            int bi = bOff + bRows[row0 + k];
            float b0 = bp[bi + 0]; float b1 = bp[bi + 1]; float b2 = bp[bi + 2]; float b3 = bp[bi + 3];
            float b4 = bp[bi + 4]; float b5 = bp[bi + 5]; float b6 = bp[bi + 6]; float b7 = bp[bi + 7];
            float a0 = ap[ai + 0];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
            float a1 = ap[ai + 1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
            float a2 = ap[ai + 2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
            float a3 = ap[ai + 3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
        }
        int r0 = cOff + 0 * ldc;
        store8(c, r0, accumulate, c00, c01, c02, c03, c04, c05, c06, c07);
        int r1 = cOff + 1 * ldc;
        store8(c, r1, accumulate, c10, c11, c12, c13, c14, c15, c16, c17);
        int r2 = cOff + 2 * ldc;
        store8(c, r2, accumulate, c20, c21, c22, c23, c24, c25, c26, c27);
        int r3 = cOff + 3 * ldc;
        store8(c, r3, accumulate, c30, c31, c32, c33, c34, c35, c36, c37);
    }

    private static void store8(float[] c, int at, boolean accumulate, float v0, float v1, float v2, float v3, float v4, float v5, float v6, float v7) {
        if (accumulate) {
            c[at + 0] += v0;
            c[at + 1] += v1;
            c[at + 2] += v2;
            c[at + 3] += v3;
            c[at + 4] += v4;
            c[at + 5] += v5;
            c[at + 6] += v6;
            c[at + 7] += v7;
        } else {
            c[at + 0] = v0;
            c[at + 1] = v1;
            c[at + 2] = v2;
            c[at + 3] = v3;
            c[at + 4] = v4;
            c[at + 5] = v5;
            c[at + 6] = v6;
            c[at + 7] = v7;
        }
    }

    /** A plain loop per element of the tile: the fallback (and F64) form; the F32 hot path is the vector kernel's. */
    @Override
    void microRowsA(int kc, Object aObj, int aOff, int[] aRows, int aRow0, Object bpObj, int bOff, Object cObj, int cOff,
            int ldc, boolean accumulate) {
        float[] a = (float[]) aObj;
        float[] bp = (float[]) bpObj;
        float[] c = (float[]) cObj;
        for (int i = 0; i < mr; i++) {
            int ar = aOff + aRows[aRow0 + i];
            int at = cOff + i * ldc;
            for (int j = 0; j < nr; j++) {
                float sum = 0f;
                for (int k = 0; k < kc; k++) {
                    sum += a[ar + k] * bp[bOff + k * nr + j];
                }
                c[at + j] = accumulate ? c[at + j] + sum : sum;
            }
        }
    }

    @Override
    void addTile(Object tileObj, int m, int n, Object cObj, int cOff, int ldc, boolean accumulate) {
        float[] tile = (float[]) tileObj;
        float[] c = (float[]) cObj;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = accumulate ? c[row + j] + tile[i * nr + j] : tile[i * nr + j];
            }
        }
    }
}
