package dev.kasane.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Winograd.Transforms} on whole vectors of tiles (the preferred species, as everywhere: a second vector shape
 * pollutes JDK 17's profiles); the transforms leave the remaining tiles to the scalar code, while the even/odd
 * splits and merges move whole vectors past the end (into the room that {@link Winograd}'s rows keep). They use
 * single-vector shuffles and a blend, which JDK 17 compiles well (two-vector rearranges it does not). Loaded only by
 * {@link VectorSupport} after it has found the {@code jdk.incubator.vector} module.
 */
final class VectorWinogradF32 extends Winograd.Transforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Lane i takes lane 2i mod VL: the even lanes of a vector pair, the first's in the lower half. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) & (VL - 1));
    /** Lane i takes lane 2i + 1 mod VL: the odd lanes. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) & (VL - 1));
    /** The upper half of the lanes. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, -1L << (VL / 2));
    /** Lane i takes lane i / 2: the lower half of a vector spread over pairs of lanes. */
    private static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, i -> i / 2);
    /** Lane i takes lane VL / 2 + i / 2: the upper half spread. */
    private static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, i -> VL / 2 + i / 2);
    /** The odd lanes. */
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL & (VL == 64 ? -1L : (1L << VL) - 1));

    @Override
    void weights(float[] g, int cap, int count, float[] t, int p, int plane) {
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        int i = 0;
        for (; i + VL <= count; i += VL) {
            FloatVector g00 = FloatVector.fromArray(S, g, i), g01 = FloatVector.fromArray(S, g, cap + i);
            FloatVector g02 = FloatVector.fromArray(S, g, 2 * cap + i), g10 = FloatVector.fromArray(S, g, 3 * cap + i);
            FloatVector g11 = FloatVector.fromArray(S, g, 4 * cap + i), g12 = FloatVector.fromArray(S, g, 5 * cap + i);
            FloatVector g20 = FloatVector.fromArray(S, g, 6 * cap + i), g21 = FloatVector.fromArray(S, g, 7 * cap + i);
            FloatVector g22 = FloatVector.fromArray(S, g, 8 * cap + i);
            int q = p + i;
            // rows of G g, each then times G^T, in the scalar code's order of operations
            row(g00, g01, g02, half, t, q, plane);
            row(g00.add(g10).add(g20).mul(half), g01.add(g11).add(g21).mul(half), g02.add(g12).add(g22).mul(half), half, t,
                    q + 4 * plane, plane);
            row(g00.sub(g10).add(g20).mul(half), g01.sub(g11).add(g21).mul(half), g02.sub(g12).add(g22).mul(half), half, t,
                    q + 8 * plane, plane);
            row(g20, g21, g22, half, t, q + 12 * plane, plane);
        }
        weights(g, cap, i, count, t, p, plane);
    }

    /** {@code (r0, r1, r2) G^T} into four planes from {@code p}. */
    private static void row(FloatVector r0, FloatVector r1, FloatVector r2, FloatVector half, float[] t, int p, int plane) {
        r0.intoArray(t, p);
        r0.add(r1).add(r2).mul(half).intoArray(t, p + plane);
        r0.sub(r1).add(r2).mul(half).intoArray(t, p + 2 * plane);
        r2.intoArray(t, p + 3 * plane);
    }

    @Override
    int lanes() {
        return VL;
    }

    @Override
    void deinterleave(float[] x, int at, float[] even, int e, float[] odd, int o, int count) {
        for (int j = 0; j < count; j += VL) {
            FloatVector lo = FloatVector.fromArray(S, x, at + 2 * j);
            FloatVector hi = FloatVector.fromArray(S, x, at + 2 * j + VL);
            lo.rearrange(EVEN).blend(hi.rearrange(EVEN), UPPER).intoArray(even, e + j);
            lo.rearrange(ODD).blend(hi.rearrange(ODD), UPPER).intoArray(odd, o + j);
        }
    }

    @Override
    void interleave(float[] a, int ao, float[] b, int bo, float[] out, int at, int count) {
        for (int j = 0; j < count; j += VL) {
            FloatVector av = FloatVector.fromArray(S, a, ao + j);
            FloatVector bv = FloatVector.fromArray(S, b, bo + j);
            av.rearrange(SPREAD_LO).blend(bv.rearrange(SPREAD_LO), ODD_LANES).intoArray(out, at + 2 * j);
            av.rearrange(SPREAD_HI).blend(bv.rearrange(SPREAD_HI), ODD_LANES).intoArray(out, at + 2 * j + VL);
        }
    }

    @Override
    void input(float[] d, int cap, float[] v, int at, int plane, int j0, int len) {
        int j = j0;
        for (; j + VL <= len; j += VL) {
            // rows 2 and 0 times B, then rows 1 and 3 (see the scalar code): at most 12 vectors live
            FloatVector x0 = FloatVector.fromArray(S, d, 8 * cap + j), x1 = FloatVector.fromArray(S, d, 9 * cap + j);
            FloatVector x2 = FloatVector.fromArray(S, d, 10 * cap + j), x3 = FloatVector.fromArray(S, d, 11 * cap + j);
            FloatVector c0 = x0.sub(x2), c1 = x1.add(x2), c2 = x2.sub(x1), c3 = x1.sub(x3);
            x0 = FloatVector.fromArray(S, d, j);
            x1 = FloatVector.fromArray(S, d, cap + j);
            x2 = FloatVector.fromArray(S, d, 2 * cap + j);
            x3 = FloatVector.fromArray(S, d, 3 * cap + j);
            int p = at + j;
            x0.sub(x2).sub(c0).intoArray(v, p);
            x1.add(x2).sub(c1).intoArray(v, p + plane);
            x2.sub(x1).sub(c2).intoArray(v, p + 2 * plane);
            x1.sub(x3).sub(c3).intoArray(v, p + 3 * plane);
            x0 = FloatVector.fromArray(S, d, 4 * cap + j);
            x1 = FloatVector.fromArray(S, d, 5 * cap + j);
            x2 = FloatVector.fromArray(S, d, 6 * cap + j);
            x3 = FloatVector.fromArray(S, d, 7 * cap + j);
            FloatVector b0 = x0.sub(x2), b1 = x1.add(x2), b2 = x2.sub(x1), b3 = x1.sub(x3);
            b0.add(c0).intoArray(v, p + 4 * plane);
            b1.add(c1).intoArray(v, p + 5 * plane);
            b2.add(c2).intoArray(v, p + 6 * plane);
            b3.add(c3).intoArray(v, p + 7 * plane);
            c0.sub(b0).intoArray(v, p + 8 * plane);
            c1.sub(b1).intoArray(v, p + 9 * plane);
            c2.sub(b2).intoArray(v, p + 10 * plane);
            c3.sub(b3).intoArray(v, p + 11 * plane);
            x0 = FloatVector.fromArray(S, d, 12 * cap + j);
            x1 = FloatVector.fromArray(S, d, 13 * cap + j);
            x2 = FloatVector.fromArray(S, d, 14 * cap + j);
            x3 = FloatVector.fromArray(S, d, 15 * cap + j);
            b0.sub(x0.sub(x2)).intoArray(v, p + 12 * plane);
            b1.sub(x1.add(x2)).intoArray(v, p + 13 * plane);
            b2.sub(x2.sub(x1)).intoArray(v, p + 14 * plane);
            b3.sub(x1.sub(x3)).intoArray(v, p + 15 * plane);
        }
        super.input(d, cap, v, at, plane, j, len);
    }

    @Override
    void output(float[] m, int at, int plane, float[] y, int cap, int j0, int len) {
        int j = j0;
        for (; j + VL <= len; j += VL) {
            int p = at + j;
            // M A per row i: (m_i0 + m_i1 + m_i2, m_i1 - m_i2 - m_i3), then A^T over the rows (see the scalar code)
            FloatVector m1 = FloatVector.fromArray(S, m, p + plane), m2 = FloatVector.fromArray(S, m, p + 2 * plane);
            FloatVector s0 = FloatVector.fromArray(S, m, p).add(m1).add(m2);
            FloatVector r0 = m1.sub(m2).sub(FloatVector.fromArray(S, m, p + 3 * plane));
            m1 = FloatVector.fromArray(S, m, p + 5 * plane);
            m2 = FloatVector.fromArray(S, m, p + 6 * plane);
            FloatVector s1 = FloatVector.fromArray(S, m, p + 4 * plane).add(m1).add(m2);
            FloatVector r1 = m1.sub(m2).sub(FloatVector.fromArray(S, m, p + 7 * plane));
            m1 = FloatVector.fromArray(S, m, p + 9 * plane);
            m2 = FloatVector.fromArray(S, m, p + 10 * plane);
            FloatVector s2 = FloatVector.fromArray(S, m, p + 8 * plane).add(m1).add(m2);
            FloatVector r2 = m1.sub(m2).sub(FloatVector.fromArray(S, m, p + 11 * plane));
            m1 = FloatVector.fromArray(S, m, p + 13 * plane);
            m2 = FloatVector.fromArray(S, m, p + 14 * plane);
            FloatVector s3 = FloatVector.fromArray(S, m, p + 12 * plane).add(m1).add(m2);
            FloatVector r3 = m1.sub(m2).sub(FloatVector.fromArray(S, m, p + 15 * plane));
            s0.add(s1).add(s2).intoArray(y, j);
            r0.add(r1).add(r2).intoArray(y, cap + j);
            s1.sub(s2).sub(s3).intoArray(y, 2 * cap + j);
            r1.sub(r2).sub(r3).intoArray(y, 3 * cap + j);
        }
        super.output(m, at, plane, y, cap, j, len);
    }
}
