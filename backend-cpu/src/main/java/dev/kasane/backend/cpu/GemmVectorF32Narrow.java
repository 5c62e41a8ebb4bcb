package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 GEMM micro-kernel on the Vector API for products at most one vector wide (N &lt;= 16 with 512-bit vectors): 8
 * rows by one vector, 8 accumulators in registers, one FMA per accumulator per k. {@link GemmVectorF32}'s two-vector
 * panels would leave half of every FMA idle on such products: the weight gradient of a convolution with 16 output
 * channels or fewer (U-Net's outer stage, LeNet-5), where N is the output channel count. Eight rows, not sixteen: with
 * A read in place each row is a live offset, and sixteen of them spill general registers (measured on Zen 5: 8 rows
 * 131 GFLOP/s per core on a 144 x 4000 x 16 product, 12 rows 117, 16 rows 103, the two-vector kernel 82).
 *
 * <p>The accumulator stores are written out row by row in both methods, as in {@link GemmVectorF32}: a shared store
 * helper (with either a conditional vector or two stores) made gemm-1024 35-45% slower on JDK 17 and up to 25% on
 * JDK 25, measured 2026-12-05.
 */
final class GemmVectorF32Narrow extends GemmScalarF32 {
    private static final VectorSpecies<Float> S = GemmVectorF32.S;

    GemmVectorF32Narrow() {
        super(8, S.length());
    }

    @Override
    String describe() {
        return "Vector API F32 narrow " + mr + "x" + nr + " (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    void addTile(Object tile, int m, int n, Object c, int cOff, int ldc, boolean accumulate) {
        GemmVectorF32.addTileF32((float[]) tile, nr, m, n, (float[]) c, cOff, ldc, accumulate);
    }

    @Override
    void micro(int kc, Object apObj, int aOff, Object bObj, int bOff, int[] bRows, int row0, Object cObj, int cOff, int ldc,
            boolean accumulate) {
        float[] ap = (float[]) apObj;
        float[] bp = (float[]) bObj;
        float[] c = (float[]) cObj;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S);
        for (int k = 0, ai = aOff; k < kc; k++, ai += 8) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff + bRows[row0 + k]);
            c0 = FloatVector.broadcast(S, ap[ai + 0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b0, c7);
        }
        if (accumulate) {
            c0 = c0.add(FloatVector.fromArray(S, c, cOff + 0 * ldc));
        }
        c0.intoArray(c, cOff + 0 * ldc);
        if (accumulate) {
            c1 = c1.add(FloatVector.fromArray(S, c, cOff + 1 * ldc));
        }
        c1.intoArray(c, cOff + 1 * ldc);
        if (accumulate) {
            c2 = c2.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        }
        c2.intoArray(c, cOff + 2 * ldc);
        if (accumulate) {
            c3 = c3.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        }
        c3.intoArray(c, cOff + 3 * ldc);
        if (accumulate) {
            c4 = c4.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
        }
        c4.intoArray(c, cOff + 4 * ldc);
        if (accumulate) {
            c5 = c5.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
        }
        c5.intoArray(c, cOff + 5 * ldc);
        if (accumulate) {
            c6 = c6.add(FloatVector.fromArray(S, c, cOff + 6 * ldc));
        }
        c6.intoArray(c, cOff + 6 * ldc);
        if (accumulate) {
            c7 = c7.add(FloatVector.fromArray(S, c, cOff + 7 * ldc));
        }
        c7.intoArray(c, cOff + 7 * ldc);
    }

    @Override
    void microRowsA(int kc, Object aObj, int aOff, int[] aRows, int aRow0, Object bpObj, int bOff, Object cObj, int cOff,
            int ldc, boolean accumulate) {
        float[] a = (float[]) aObj;
        float[] bp = (float[]) bpObj;
        float[] c = (float[]) cObj;
        int r0 = aOff + aRows[aRow0 + 0];
        int r1 = aOff + aRows[aRow0 + 1];
        int r2 = aOff + aRows[aRow0 + 2];
        int r3 = aOff + aRows[aRow0 + 3];
        int r4 = aOff + aRows[aRow0 + 4];
        int r5 = aOff + aRows[aRow0 + 5];
        int r6 = aOff + aRows[aRow0 + 6];
        int r7 = aOff + aRows[aRow0 + 7];
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S);
        for (int k = 0, bi = bOff; k < kc; k++, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            c0 = FloatVector.broadcast(S, a[r0 + k]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[r1 + k]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[r2 + k]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[r3 + k]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[r4 + k]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[r5 + k]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[r6 + k]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[r7 + k]).fma(b0, c7);
        }
        if (accumulate) {
            c0 = c0.add(FloatVector.fromArray(S, c, cOff + 0 * ldc));
        }
        c0.intoArray(c, cOff + 0 * ldc);
        if (accumulate) {
            c1 = c1.add(FloatVector.fromArray(S, c, cOff + 1 * ldc));
        }
        c1.intoArray(c, cOff + 1 * ldc);
        if (accumulate) {
            c2 = c2.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        }
        c2.intoArray(c, cOff + 2 * ldc);
        if (accumulate) {
            c3 = c3.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        }
        c3.intoArray(c, cOff + 3 * ldc);
        if (accumulate) {
            c4 = c4.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
        }
        c4.intoArray(c, cOff + 4 * ldc);
        if (accumulate) {
            c5 = c5.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
        }
        c5.intoArray(c, cOff + 5 * ldc);
        if (accumulate) {
            c6 = c6.add(FloatVector.fromArray(S, c, cOff + 6 * ldc));
        }
        c6.intoArray(c, cOff + 6 * ldc);
        if (accumulate) {
            c7 = c7.add(FloatVector.fromArray(S, c, cOff + 7 * ldc));
        }
        c7.intoArray(c, cOff + 7 * ldc);
    }

    /**
     * {@link GemmKernel#dotRows} in tiles of 4 rows of A by 3 rows of B, 12 vector accumulators along k, each summed
     * across its lanes at the end. The last, partial vector of k is read as the whole vector that ends at k, with the
     * lanes already counted zeroed in B (a blend, no masked load: JDK 17 compiles those poorly).
     */
    @Override
    boolean dotRows(Object aObj, int[] aRows, int m, Object bObj, int n, int k, Object cObj, boolean accumulate) {
        int vl = S.length();
        if (k < vl) {
            return false;
        }
        float[] a = (float[]) aObj;
        float[] b = (float[]) bObj;
        float[] c = (float[]) cObj;
        int kv = k - k % vl;
        int last = k - vl;
        VectorMask<Float> fresh = VectorMask.fromLong(S, -1L << (kv - last));
        FloatVector zero = FloatVector.zero(S);
        float[] lanes = new float[12 * vl];
        for (int i0 = 0; i0 < m; i0 += 4) {
            int r0 = aRows[i0];
            int r1 = aRows[Math.min(i0 + 1, m - 1)];
            int r2 = aRows[Math.min(i0 + 2, m - 1)];
            int r3 = aRows[Math.min(i0 + 3, m - 1)];
            for (int j0 = 0; j0 < n; j0 += 3) {
                int s0 = j0 * k;
                int s1 = Math.min(j0 + 1, n - 1) * k;
                int s2 = Math.min(j0 + 2, n - 1) * k;
                FloatVector c00 = zero, c01 = zero, c02 = zero;
                FloatVector c10 = zero, c11 = zero, c12 = zero;
                FloatVector c20 = zero, c21 = zero, c22 = zero;
                FloatVector c30 = zero, c31 = zero, c32 = zero;
                for (int q = 0; q < kv; q += vl) {
                    FloatVector y0 = FloatVector.fromArray(S, b, s0 + q);
                    FloatVector y1 = FloatVector.fromArray(S, b, s1 + q);
                    FloatVector y2 = FloatVector.fromArray(S, b, s2 + q);
                    FloatVector x0 = FloatVector.fromArray(S, a, r0 + q);
                    c00 = x0.fma(y0, c00);
                    c01 = x0.fma(y1, c01);
                    c02 = x0.fma(y2, c02);
                    FloatVector x1 = FloatVector.fromArray(S, a, r1 + q);
                    c10 = x1.fma(y0, c10);
                    c11 = x1.fma(y1, c11);
                    c12 = x1.fma(y2, c12);
                    FloatVector x2 = FloatVector.fromArray(S, a, r2 + q);
                    c20 = x2.fma(y0, c20);
                    c21 = x2.fma(y1, c21);
                    c22 = x2.fma(y2, c22);
                    FloatVector x3 = FloatVector.fromArray(S, a, r3 + q);
                    c30 = x3.fma(y0, c30);
                    c31 = x3.fma(y1, c31);
                    c32 = x3.fma(y2, c32);
                }
                if (kv < k) {
                    FloatVector y0 = zero.blend(FloatVector.fromArray(S, b, s0 + last), fresh);
                    FloatVector y1 = zero.blend(FloatVector.fromArray(S, b, s1 + last), fresh);
                    FloatVector y2 = zero.blend(FloatVector.fromArray(S, b, s2 + last), fresh);
                    FloatVector x0 = FloatVector.fromArray(S, a, r0 + last);
                    c00 = x0.fma(y0, c00);
                    c01 = x0.fma(y1, c01);
                    c02 = x0.fma(y2, c02);
                    FloatVector x1 = FloatVector.fromArray(S, a, r1 + last);
                    c10 = x1.fma(y0, c10);
                    c11 = x1.fma(y1, c11);
                    c12 = x1.fma(y2, c12);
                    FloatVector x2 = FloatVector.fromArray(S, a, r2 + last);
                    c20 = x2.fma(y0, c20);
                    c21 = x2.fma(y1, c21);
                    c22 = x2.fma(y2, c22);
                    FloatVector x3 = FloatVector.fromArray(S, a, r3 + last);
                    c30 = x3.fma(y0, c30);
                    c31 = x3.fma(y1, c31);
                    c32 = x3.fma(y2, c32);
                }
                c00.intoArray(lanes, 0);
                c01.intoArray(lanes, vl);
                c02.intoArray(lanes, 2 * vl);
                c10.intoArray(lanes, 3 * vl);
                c11.intoArray(lanes, 4 * vl);
                c12.intoArray(lanes, 5 * vl);
                c20.intoArray(lanes, 6 * vl);
                c21.intoArray(lanes, 7 * vl);
                c22.intoArray(lanes, 8 * vl);
                c30.intoArray(lanes, 9 * vl);
                c31.intoArray(lanes, 10 * vl);
                c32.intoArray(lanes, 11 * vl);
                storeTile(lanes, vl, c, i0 * n + j0, n, Math.min(4, m - i0), Math.min(3, n - j0), accumulate);
            }
        }
        return true;
    }

    /**
     * {@code c} (+)= the lane sums of a 4x3 tile of accumulators stored in {@code lanes} (row-major, {@code vl} lanes
     * each), of which the first {@code rows} x {@code cols} are real. The lanes are added in lane order, not with
     * {@code reduceLanes}: its order differs between C2's intrinsic and the Java fallback that runs before the method
     * is compiled, which made the result depend on how the work was split over threads. (Storing the vectors first
     * keeps them out of any call that C2 might not inline: a vector passed to one is boxed.)
     */
    private static void storeTile(float[] lanes, int vl, float[] c, int o, int n, int rows, int cols, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int base = (3 * r + j) * vl;
                float s = 0;
                for (int l = 0; l < vl; l++) {
                    s += lanes[base + l];
                }
                int at = o + r * n + j;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }
}
