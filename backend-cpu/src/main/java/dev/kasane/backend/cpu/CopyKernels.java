package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/** Same-dtype strided copies and the select of {@code where}, one small loop per host array type. */
final class CopyKernels {
    private CopyKernels() {
    }

    /**
     * Copies a run of {@code n} elements between arrays of the same host type: an array copy when both are contiguous,
     * a typed loop for strided F32 (permutes of activations), one element at a time for the other dtypes.
     */
    static void copy(DType dt, Object s, int so, int ss, Object d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(s, so, d, dof, n);
        } else if (dt == DType.F32) {
            float[] sf = (float[]) s;
            float[] df = (float[]) d;
            for (int i = 0; i < n; i++) {
                df[dof + i * ds] = sf[so + i * ss];
            }
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(s, so + i * ss, d, dof + i * ds, 1);
            }
        }
    }

    /**
     * Copies an {@code rows x cols} tile where the source is contiguous along rows and the destination along
     * columns (a transposition), in 8 x 8 blocks so that the few cache lines of a block stay in L1 even when
     * both strides are multiples of 4 KiB (F32; other dtypes copy column by column).
     */
    static void transposeTile(DType dt, Object s, int so, int scs, Object d, int dof, int drs, int rows, int cols) {
        if (dt == DType.F32) {
            transposeF32((float[]) s, so, scs, (float[]) d, dof, drs, rows, cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            copy(dt, s, so + r, scs, d, dof + r * drs, 1, cols);
        }
    }

    private static void transposeF32(float[] s, int so, int scs, float[] d, int dof, int drs, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += 8) {
            int r1 = Math.min(rows, r0 + 8);
            for (int c0 = 0; c0 < cols; c0 += 8) {
                int c1 = Math.min(cols, c0 + 8);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        d[dof + r * drs + c] = s[so + r + c * scs];
                    }
                }
            }
        }
    }

    /**
     * {@code d = c ? a : b} over one run; {@code c} is BOOL. F32 has a typed loop (and the Vector API select on
     * contiguous runs); the other dtypes, which are not speed targets, copy the chosen element of any array type.
     */
    static void where(DType dt, byte[] c, int oc, int sc, Object a, int oa, int sa, Object b, int ob, int sb,
            Object d, int od, int sd, int n) {
        if (dt == DType.F32) {
            whereF32(c, oc, sc, (float[]) a, oa, sa, (float[]) b, ob, sb, (float[]) d, od, sd, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            boolean take = c[oc + i * sc] != 0;
            System.arraycopy(take ? a : b, take ? oa + i * sa : ob + i * sb, d, od + i * sd, 1);
        }
    }

    private static void whereF32(byte[] c, int oc, int sc, float[] a, int oa, int sa, float[] b, int ob, int sb,
            float[] d, int od, int sd, int n) {
        if (sd == 1 && sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
            VectorSupport.selectF32().where(c, oc, a, oa, sa, b, ob, sb, d, od, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            d[od + i * sd] = c[oc + i * sc] != 0 ? a[oa + i * sa] : b[ob + i * sb];
        }
    }
}
