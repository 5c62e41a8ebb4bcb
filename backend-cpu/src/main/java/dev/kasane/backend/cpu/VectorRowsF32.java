package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorSupport.RowsF32} on the Vector API: whole vectors of the preferred species (the GEMM kernel's, so that
 * no second FloatVector shape pollutes C2's type profiles on JDK 17), then a scalar tail. Each element is rounded as
 * the scalar loop rounds it (a product, then a sum: no fused multiply-add). Loaded only by {@link VectorSupport}
 * after it has found the {@code jdk.incubator.vector} module.
 */
final class VectorRowsF32 extends VectorSupport.RowsF32 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int VL = F.length();

    @Override
    void axpy(float w, float[] s, int s0, float[] d, int d0, int n) {
        int q = 0;
        if (n >= VL) {
            FloatVector wv = FloatVector.broadcast(F, w);
            for (; q + VL <= n; q += VL) {
                wv.mul(FloatVector.fromArray(F, s, s0 + q)).add(FloatVector.fromArray(F, d, d0 + q)).intoArray(d, d0 + q);
            }
        }
        for (; q < n; q++) {
            d[d0 + q] += w * s[s0 + q];
        }
    }

    @Override
    void mulAdd(float[] a, float[] b, int b0, float[] d, int d0, int n) {
        int q = 0;
        for (; q + VL <= n; q += VL) {
            FloatVector.fromArray(F, a, q).mul(FloatVector.fromArray(F, b, b0 + q)).add(FloatVector.fromArray(F, d, d0 + q))
                    .intoArray(d, d0 + q);
        }
        for (; q < n; q++) {
            d[d0 + q] += a[q] * b[b0 + q];
        }
    }
}
