package dev.kasane.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Contiguous F32 sum on the Vector API, accumulated in double lanes like the scalar path (so F32 sums keep their
 * double-precision accumulation). Lanes are added in a fixed order at the end, so the result depends only on the
 * data. Loaded only by {@link VectorSupport} after it has found the {@code jdk.incubator.vector} module.
 */
final class VectorSumF32 extends VectorSupport.SumF32 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /**
     * The preferred float species, twice as many lanes as {@link #D}: each load is widened in two halves. A narrower
     * float species would be cheaper to widen, but on JDK 17 a second FloatVector shape in the same process pollutes
     * the type profiles of the shared FloatVector code, and C2 then fails to intrinsify the GEMM kernel's stores
     * (boxing every vector: a 10x slowdown of every convolution after the first sum).
     */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int VL = D.length();

    @Override
    double sum(float[] a, int off, int n) {
        if (F.length() != 2 * VL || n < 4 * VL) {
            return scalar(a, off, n);
        }
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            FloatVector v = FloatVector.fromArray(F, a, off + i);
            s0 = s0.add(v.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add(v.convertShape(VectorOperators.F2D, D, 1));
        }
        DoubleVector lanes = s0.add(s1);
        double s = 0;
        for (int l = 0; l < VL; l++) { // lane by lane, not through an array: C2 keeps this one allocation-free
            s += lanes.lane(l);
        }
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }
}
