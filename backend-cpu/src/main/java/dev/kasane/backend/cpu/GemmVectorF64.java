package dev.kasane.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F64 GEMM micro-kernel on the Vector API: 8 rows by two vectors of the preferred species, all 16
 * accumulators in registers, one FMA per accumulator per k. Loaded only when {@link VectorSupport} has found the
 * {@code jdk.incubator.vector} module.
 */
final class GemmVectorF64 extends GemmScalarF64 {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int VL = S.length();

    GemmVectorF64() {
        super(8, 2 * VL);
    }

    @Override
    String describe() {
        return "Vector API F64 " + mr + "x" + nr + " (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    void micro(int kc, Object apObj, int aOff, Object bObj, int bOff, int[] bRows, int row0, Object cObj, int cOff, int ldc,
            boolean accumulate) {
        double[] ap = (double[]) apObj;
        double[] bp = (double[]) bObj;
        double[] c = (double[]) cObj;
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S);
        DoubleVector c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        int ai = aOff;
        for (int k = 0; k < kc; k++) {
            int bi = bOff + bRows[row0 + k];
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + VL);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            DoubleVector a6 = DoubleVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            DoubleVector a7 = DoubleVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            ai += 8;
        }
        store2(c, cOff + 0 * ldc, c00, c01, accumulate);
        store2(c, cOff + 1 * ldc, c10, c11, accumulate);
        store2(c, cOff + 2 * ldc, c20, c21, accumulate);
        store2(c, cOff + 3 * ldc, c30, c31, accumulate);
        store2(c, cOff + 4 * ldc, c40, c41, accumulate);
        store2(c, cOff + 5 * ldc, c50, c51, accumulate);
        store2(c, cOff + 6 * ldc, c60, c61, accumulate);
        store2(c, cOff + 7 * ldc, c70, c71, accumulate);
    }

    /** {@code c[at, at + 2 VL) (+)= (v0, v1)}: one row of a tile (inlined by C2, as in {@link GemmVectorF32}). */
    private static void store2(double[] c, int at, DoubleVector v0, DoubleVector v1, boolean accumulate) {
        if (accumulate) {
            v0 = v0.add(DoubleVector.fromArray(S, c, at));
            v1 = v1.add(DoubleVector.fromArray(S, c, at + VL));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + VL);
    }
}
