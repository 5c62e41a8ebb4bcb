package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 GEMM micro-kernel on the Vector API: 8 rows by two vectors of the preferred species, all 16 accumulators in
 * registers, one FMA per accumulator per k. Loaded only when {@link VectorSupport} has found the
 * {@code jdk.incubator.vector} module.
 */
// Template: the double-precision kernel GemmVectorF64 is generated from this file at build time (backend-cpu's pom,
// generate-sources), every single-precision name and type swapped for its twin, so the two cannot drift apart.
class GemmVectorF32Micro extends GemmScalarF32 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();

    GemmVectorF32Micro() {
        super(8, 2 * VL);
    }

    @Override
    String describe() {
        return "Vector API F32 " + mr + "x" + nr + " (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    void micro(int kc, Object apObj, int aOff, Object bObj, int bOff, int[] bRows, int row0, Object cObj, int cOff, int ldc,
            boolean accumulate) {
        float[] ap = (float[]) apObj;
        float[] bp = (float[]) bObj;
        float[] c = (float[]) cObj;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int ai = aOff;
        for (int k = 0; k < kc; k++) {
            int bi = bOff + bRows[row0 + k];
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            ai += 8;
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
