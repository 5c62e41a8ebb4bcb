package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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
    void mulAdd(float[] a, int a0, float[] b, int b0, float[] d, int d0, int n) {
        int q = 0;
        for (; q + VL <= n; q += VL) {
            FloatVector.fromArray(F, a, a0 + q).mul(FloatVector.fromArray(F, b, b0 + q)).add(FloatVector.fromArray(F, d, d0 + q))
                    .intoArray(d, d0 + q);
        }
        for (; q < n; q++) {
            d[d0 + q] += a[a0 + q] * b[b0 + q];
        }
    }

    /** Per thread: a strided run of {@link #sigmoid}, gathered so that it goes through the same vector code. */
    private static final ThreadLocal<float[]> GATHERED = ThreadLocal.withInitial(() -> new float[1024]);

    @Override
    boolean hasSigmoid() {
        return true;
    }

    @Override
    void sigmoid(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            sigmoidRun(s, so, d, dof, n);
            return;
        }
        float[] buf = GATHERED.get();
        for (int i = 0; i < n; i += buf.length) {
            int c = Math.min(buf.length, n - i);
            for (int j = 0; j < c; j++) {
                buf[j] = s[so + (i + j) * ss];
            }
            sigmoidRun(buf, 0, buf, 0, c);
            for (int j = 0; j < c; j++) {
                d[dof + (i + j) * ds] = buf[j];
            }
        }
    }

    /**
     * The contiguous sigmoid {@code 1 / (1 + exp(-x))}: whole vectors, then the last, partial one under a mask (the same
     * lane code for all). The negation is a product with -1 (a binary operator, whose shared code
     * {@link VectorProfileSeed} seeds).
     */
    private static void sigmoidRun(float[] s, int so, float[] d, int dof, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (; i + VL <= n; i += VL) {
            FloatVector x = FloatVector.fromArray(F, s, so + i);
            one.div(one.add(exp(x.mul(-1f)))).intoArray(d, dof + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(F, s, so + i, m);
            one.div(one.add(exp(x.mul(-1f)))).intoArray(d, dof + i, m);
        }
    }

    /** Above this, {@link #exp} gives +infinity (the sigmoid of {@code x < -88} is 0, as PyTorch's vectorized one). */
    static final float EXP_HIGH = 88f;
    /** Below this, {@link #exp} is taken at this value (exp(-87) is about 1.6e-38: 1 + it is 1). */
    static final float EXP_LOW = -87f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    static final float ROUNDER = 12582912f;
    static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts (Cody and Waite): the first exact in few bits, so that {@code n * LN2_HI} is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** Minimax coefficients of {@code (exp(r) - 1 - r) / r^2} on [-ln2/2, ln2/2] (Cephes' expf), highest first. */
    static final float[] EXP_POLY = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
        1.6666665459e-1f, 5.0000001201e-1f};

    /**
     * {@code exp(x)} per lane from IEEE operations only (products, sums, fused multiply-adds, comparisons and integer
     * bit moves), so that every lane gets the same bits whether C2 has compiled the caller or the Java fallback runs it:
     * the Vector API's {@code EXP} is an intrinsic (a vector math library) once compiled and {@link Math#exp} per lane
     * before, which round differently (268 of 65,536 sigmoids differed between a kernel's first call and its 3,000th),
     * so results depended on the JIT's timing. {@code x = n ln2 + r} with {@code n} the nearest integer to
     * {@code x / ln2}, {@code exp(r)} by Cephes' polynomial (within about 1 unit in the last place), times {@code 2^n}
     * built in the exponent bits. {@code NaN} stays {@code NaN}; above {@link #EXP_HIGH} the result is +infinity.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector t = x.max(EXP_LOW).min(EXP_HIGH);
        FloatVector v = t.mul(LOG2E).add(ROUNDER);
        FloatVector n = v.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), t);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, EXP_POLY[0]);
        for (int k = 1; k < EXP_POLY.length; k++) {
            p = p.fma(r, FloatVector.broadcast(F, EXP_POLY[k]));
        }
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n from the exponent bits, n an integer in [-126, 127] here: v's bits are ROUNDER's plus n (its last mantissa
        // bit is 1), whose low 9 bits are 0, so the shift keeps just n + 127 (no float-to-int conversion, which JDK 17's
        // C2 leaves to the boxing fallback)
        IntVector bits = ((IntVector) v.reinterpretAsInts()).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scaled = e.mul(bits.reinterpretAsFloats());
        return scaled.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HIGH));
    }

    /**
     * Whole vectors, then the scalar loop for the rest (a 7x7 plane is 49 elements: 3 vectors and 1 element; no masked
     * loads, which JDK 17's C2 does not compile into vector code); one loop per variant, so that no vector is ever null
     * (C2 would then allocate them all).
     */
    @Override
    void scaleShift(float[] x, int x0, float a, float b, float[] r, int r0, boolean relu, float[] d, int d0, int n) {
        int q = 0;
        if (r != null) {
            for (; q + VL <= n; q += VL) {
                FloatVector v = FloatVector.fromArray(F, x, x0 + q).mul(a).add(b).add(FloatVector.fromArray(F, r, r0 + q));
                (relu ? v.max(0f) : v).intoArray(d, d0 + q);
            }
        } else {
            for (; q + VL <= n; q += VL) {
                FloatVector v = FloatVector.fromArray(F, x, x0 + q).mul(a).add(b);
                (relu ? v.max(0f) : v).intoArray(d, d0 + q);
            }
        }
        if (q < n) {
            super.scaleShift(x, x0 + q, a, b, r, r0 + q, relu, d, d0 + q, n - q);
        }
    }

    /**
     * Vector pairs, their even lanes shuffled together (max pooling's {@link VectorSelectF32#evenLanes}, same species),
     * while a pair stays inside {@code s}; then the scalar loop.
     */
    @Override
    void everyOther(float[] s, int s0, float[] d, int d0, int n) {
        int q = 0;
        for (; q + VL <= n && s0 + 2 * q + 2 * VL <= s.length; q += VL) {
            VectorSelectF32.evenLanes(s, s0 + 2 * q).intoArray(d, d0 + q);
        }
        super.everyOther(s, s0 + 2 * q, d, d0 + q, n - q);
    }

    @Override
    void taps(float[] w, int w0, int[] off, float[] s, int s0, float[] d, int d0, int n) {
        int q = 0;
        for (; q + VL <= n; q += VL) {
            FloatVector acc = FloatVector.zero(F);
            for (int t = 0; t < off.length; t++) {
                acc = acc.add(FloatVector.fromArray(F, s, s0 + off[t] + q).mul(w[w0 + t]));
            }
            acc.intoArray(d, d0 + q);
        }
        if (q < n) {
            super.taps(w, w0, off, s, s0 + q, d, d0 + q, n - q);
        }
    }
}
