package dev.kasane.backend.cpu;

import jdk.incubator.vector.VectorSpecies;

/**
 * F32 GEMM micro-kernel on the Vector API: 8 rows by two vectors of the preferred species, all 16 accumulators in
 * registers, one FMA per accumulator per k. Loaded only when {@link VectorSupport} has found the
 * {@code jdk.incubator.vector} module.
 */
// Template: the double-precision kernel GemmVectorF64 is generated from this file at build time (backend-cpu's pom,
// generate-sources), every single-precision name and type swapped for its twin, so the two cannot drift apart.
class GemmVectorF32Micro extends GemmScalarF32 {
    static final VectorSpecies<Float> S = VectorMicroKernelsF32.S;
    static final int VL = VectorMicroKernelsF32.VL;

    GemmVectorF32Micro() {
        this(2 * VL);
    }

    /** A kernel of 8 rows by {@code nr} columns (subclasses with other micro-kernels choose other widths). */
    GemmVectorF32Micro(int nr) {
        super(8, nr);
    }

    @Override
    String describe() {
        return "Vector API F32 " + mr + "x" + nr + " (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    void micro(int kc, Object ap, int aOff, Object b, int bOff, int[] bRows, int row0, Object c, int cOff, int ldc,
            boolean accumulate) {
        VectorMicroKernelsF32.packedA8x2(kc, (float[]) ap, aOff, (float[]) b, bOff, bRows, row0, (float[]) c, cOff, ldc,
                accumulate);
    }
}
