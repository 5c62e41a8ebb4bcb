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
        if (accumulate) {
            c00 = c00.add(DoubleVector.fromArray(S, c, cOff + 0 * ldc));
            c01 = c01.add(DoubleVector.fromArray(S, c, cOff + 0 * ldc + VL));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + VL);
        if (accumulate) {
            c10 = c10.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc));
            c11 = c11.add(DoubleVector.fromArray(S, c, cOff + 1 * ldc + VL));
        }
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + VL);
        if (accumulate) {
            c20 = c20.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc));
            c21 = c21.add(DoubleVector.fromArray(S, c, cOff + 2 * ldc + VL));
        }
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        if (accumulate) {
            c30 = c30.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc));
            c31 = c31.add(DoubleVector.fromArray(S, c, cOff + 3 * ldc + VL));
        }
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        if (accumulate) {
            c40 = c40.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc));
            c41 = c41.add(DoubleVector.fromArray(S, c, cOff + 4 * ldc + VL));
        }
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        if (accumulate) {
            c50 = c50.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc));
            c51 = c51.add(DoubleVector.fromArray(S, c, cOff + 5 * ldc + VL));
        }
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
        if (accumulate) {
            c60 = c60.add(DoubleVector.fromArray(S, c, cOff + 6 * ldc));
            c61 = c61.add(DoubleVector.fromArray(S, c, cOff + 6 * ldc + VL));
        }
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + VL);
        if (accumulate) {
            c70 = c70.add(DoubleVector.fromArray(S, c, cOff + 7 * ldc));
            c71 = c71.add(DoubleVector.fromArray(S, c, cOff + 7 * ldc + VL));
        }
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + VL);
    }
}
