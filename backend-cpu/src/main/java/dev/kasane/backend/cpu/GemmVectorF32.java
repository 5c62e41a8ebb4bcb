package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The F32 GEMM kernel on the Vector API: {@link GemmVectorF32Micro}'s micro-kernel (shared with F64 through its
 * build-time template) plus the F32-only paths: A read in place ({@link #microRowsA}), vector tile additions and the
 * one-vector-wide kernel for narrow products. Loaded only when {@link VectorSupport}
 * has found the {@code jdk.incubator.vector} module.
 */
final class GemmVectorF32 extends GemmVectorF32Micro {
    /** The one-vector-wide kernel for products at most {@link #VL} columns wide. */
    private final GemmKernel narrow = new GemmVectorF32Narrow();

    @Override
    GemmKernel narrow() {
        return narrow;
    }

    @Override
    void addTile(Object tile, int m, int n, Object c, int cOff, int ldc, boolean accumulate) {
        addTileF32((float[]) tile, nr, m, n, (float[]) c, cOff, ldc, accumulate);
    }

    /**
     * {@link GemmKernel#addTile} for F32 kernels whose tile rows are {@code nr} apart: whole vectors along each row and
     * scalar tails. Small products (LeNet's 6 output channels, whose every tile is partial) spend as long here as in
     * the micro-kernel, so the scalar loop cost as much as the product itself.
     */
    static void addTileF32(float[] tile, int nr, int m, int n, float[] c, int cOff, int ldc, boolean accumulate) {
        int whole = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            int t = i * nr;
            int j = 0;
            for (; j < whole; j += VL) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j);
                if (accumulate) {
                    v = v.add(FloatVector.fromArray(S, c, row + j));
                }
                v.intoArray(c, row + j);
            }
            for (; j < n; j++) {
                c[row + j] = accumulate ? c[row + j] + tile[t + j] : tile[t + j];
            }
        }
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
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int k = 0, bi = bOff; k < kc; k++, bi += 2 * VL) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + k]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + k]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + k]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + k]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + k]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + k]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[r6 + k]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[r7 + k]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + VL));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + VL);
        if (accumulate) {
            c10 = c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + VL));
        }
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + VL);
        if (accumulate) {
            c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + VL));
        }
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        if (accumulate) {
            c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + VL));
        }
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        if (accumulate) {
            c40 = c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + VL));
        }
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        if (accumulate) {
            c50 = c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + VL));
        }
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
        if (accumulate) {
            c60 = c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + VL));
        }
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + VL);
        if (accumulate) {
            c70 = c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + VL));
        }
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + VL);
    }
}
