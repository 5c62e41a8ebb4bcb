package dev.kasane.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The masked selects of {@link VectorSupport.SelectF32} as Vector API compares and blends. Loaded only by
 * {@link VectorSupport} after it has found the {@code jdk.incubator.vector} module.
 */
final class VectorSelectF32 extends VectorSupport.SelectF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Bytes with as many lanes as {@link #S}, for BOOL conditions. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, VL * 8)));

    /**
     * Species of the stride-2 pools: the preferred one, as everywhere. (A second vector shape in the same JVM pollutes
     * C2's type profiles of the shared FloatVector code on JDK 17 and boxes every vector: 256-bit pools made LeNet-5
     * six times slower there.)
     */
    private static final VectorSpecies<Float> P = S;
    private static final int PL = P.length();
    /** Lane i takes lane 2i mod PL: the even lanes of a vector pair, the first's in the lower half. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(P, i -> (2 * i) & (PL - 1));
    /** Lane i takes lane 2i + 1 mod PL: the odd lanes. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(P, i -> (2 * i + 1) & (PL - 1));
    /** The upper half of the lanes: where the second vector of a pair goes. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(P, -1L << (PL / 2));
    /** Rows of the pool scratch holding {@link #maxPoolStride2}'s running value, offset and NaN probe. */
    private static final int RUN_VALUE = 2;
    private static final int RUN_OFFSET = 3;
    private static final int RUN_PROBE = 4;
    /** Per thread: the window offsets, the partial block and the running vectors of {@link #maxPoolStride2}. */
    private static final ThreadLocal<float[][]> POOL_SCRATCH = ThreadLocal.withInitial(() -> new float[5][PL]);

    /**
     * {@link VectorSupport.SelectF32#maxPool2x2} one vector of windows at a time: the four cells of each window are
     * the even and odd lanes of the two rows (single-vector shuffles and a blend: JDK 17 compiles the two-vector
     * rearrange poorly), and the same selects as the scalar code run lane-wise (the running value is the chosen cell,
     * so the first of -0.0 and 0.0 wins). A block with a NaN goes to the scalar code. The last, partial block (all of
     * a short row: LeNet's 14 windows) is computed as a whole vector too when it fills at least half of one, reading on
     * past the row's end where the array holds those cells; only its first windows are stored. Shorter ones (LeNet's
     * rows of 5) take the scalar code, which was faster for them (67 against 79 us for LeNet's second pool).
     */
    @Override
    void maxPool2x2(float[] x, int r0, int w, int count, float[] vals, long[] idx, int o, long idx0) {
        if (w >= 1 << 23 || 2 * count < PL) { // cell offsets held exactly as floats; rows of less than half a vector
            super.maxPool2x2(x, r0, w, count, vals, idx, o, idx0);
            return;
        }
        float[][] scratch = POOL_SCRATCH.get(); // called once per pooled row: LeNet allocated 1.3 GB an epoch here
        FloatVector zero = FloatVector.zero(P);
        for (int i = 0; i < count; i += PL) {
            int base = r0 + 2 * i;
            int lanes = Math.min(PL, count - i);
            if (lanes < PL && (2 * lanes < PL || base + w + 2 * PL > x.length)) {
                super.maxPool2x2(x, base, w, lanes, vals, idx, o + i, idx0 + 2L * i);
                break;
            }
            FloatVector lo0 = FloatVector.fromArray(P, x, base);
            FloatVector hi0 = FloatVector.fromArray(P, x, base + PL);
            FloatVector lo1 = FloatVector.fromArray(P, x, base + w);
            FloatVector hi1 = FloatVector.fromArray(P, x, base + w + PL);
            if (lo0.test(VectorOperators.IS_NAN).or(hi0.test(VectorOperators.IS_NAN))
                    .or(lo1.test(VectorOperators.IS_NAN)).or(hi1.test(VectorOperators.IS_NAN)).anyTrue()) {
                super.maxPool2x2(x, base, w, lanes, vals, idx, o + i, idx0 + 2L * i);
                continue;
            }
            FloatVector v = lo0.rearrange(EVEN).blend(hi0.rearrange(EVEN), UPPER);
            FloatVector b = lo0.rearrange(ODD).blend(hi0.rearrange(ODD), UPPER);
            VectorMask<Float> m = b.compare(VectorOperators.GT, v);
            v = v.blend(b, m);
            FloatVector offs = zero.blend(1f, m);
            FloatVector c = lo1.rearrange(EVEN).blend(hi1.rearrange(EVEN), UPPER);
            m = c.compare(VectorOperators.GT, v);
            v = v.blend(c, m);
            offs = offs.blend((float) w, m);
            FloatVector d = lo1.rearrange(ODD).blend(hi1.rearrange(ODD), UPPER);
            m = d.compare(VectorOperators.GT, v);
            v = v.blend(d, m);
            offs = offs.blend((float) (w + 1), m);
            storeWindows(v, offs, lanes, scratch, vals, idx, o + i, idx0 + 2L * i);
        }
    }

    /**
     * {@link VectorSupport.SelectF32#maxPoolStride2} one vector of windows at a time: the cells at one offset of
     * consecutive windows are the even (or, at an odd offset, the odd) lanes of a vector pair (single-vector shuffles
     * and a blend: JDK 17 compiles the two-vector rearrange poorly), and the cells are compared in row-major order with
     * the same strict selects as the scalar code, lane-wise (the running value is the chosen cell, so the first of
     * -0.0 and 0.0 wins). A block with a NaN (found by a NaN-propagating running {@code max}) goes to the scalar code;
     * partial blocks as in {@link #maxPool2x2}. The cells are a loop, not unrolled as the 2x2 windows' are: that
     * specialization keeps LeNet's pools a fifth faster on JDK 25 and twice as fast on JDK 17.
     */
    @Override
    void maxPoolStride2(float[] x, int r0, int w, int kh, int kw, int dh, int dw, int count, float[] vals, long[] idx,
            int o, long idx0) {
        int last = (kh - 1) * dh * w + (kw - 1) * dw; // the window's last cell
        if (last >= 1 << 24 || 2 * count < PL) { // cell offsets held exactly as floats; rows of less than half a vector
            super.maxPoolStride2(x, r0, w, kh, kw, dh, dw, count, vals, idx, o, idx0);
            return;
        }
        float[][] scratch = POOL_SCRATCH.get(); // called once per pooled row: LeNet allocated 1.3 GB an epoch here
        for (int i = 0; i < count; i += PL) {
            int base = r0 + 2 * i;
            int lanes = Math.min(PL, count - i);
            if (2 * lanes < PL || base + (last & ~1) + 2 * PL > x.length) { // short, or its pairs would leave the array
                super.maxPoolStride2(x, base, w, kh, kw, dh, dw, lanes, vals, idx, o + i, idx0 + 2L * i);
                continue;
            }
            // from -inf: a first cell of -inf keeps offset 0 and its own value
            FloatVector.broadcast(P, Float.NEGATIVE_INFINITY).intoArray(scratch[RUN_VALUE], 0);
            FloatVector.zero(P).intoArray(scratch[RUN_OFFSET], 0);
            FloatVector.broadcast(P, Float.NEGATIVE_INFINITY).intoArray(scratch[RUN_PROBE], 0);
            for (int r = 0; r < kh; r++) {
                for (int c = 0; c < kw; c++) {
                    int off = r * dh * w + c * dw;
                    // the even (odd) lanes of the pair at the offset rounded down to even: x[base + off + 2 * lane],
                    // and a pair never reads past the last window's last cell when the offset is odd
                    int at = base + (off & ~1);
                    if ((off & 1) == 0) {
                        select(evenLanes(x, at), off, scratch);
                    } else {
                        select(oddLanes(x, at), off, scratch);
                    }
                }
            }
            if (FloatVector.fromArray(P, scratch[RUN_PROBE], 0).test(VectorOperators.IS_NAN).anyTrue()) {
                super.maxPoolStride2(x, base, w, kh, kw, dh, dw, lanes, vals, idx, o + i, idx0 + 2L * i);
                continue;
            }
            storeWindows(FloatVector.fromArray(P, scratch[RUN_VALUE], 0), FloatVector.fromArray(P, scratch[RUN_OFFSET], 0),
                    lanes, scratch, vals, idx, o + i, idx0 + 2L * i);
        }
    }

    /**
     * One cell of {@link #maxPoolStride2}'s windows: takes {@code cell} where it is greater than the running value,
     * its offset with it, and folds it into the NaN probe (a NaN-propagating {@code max}). The running vectors live
     * in {@code scratch} between cells, not in variables carried around the loop over cells: JDK 17's C2 did not
     * intrinsify the blends and the max of such a loop and ran the Vector API's Java fallback, 29.4 MB of garbage
     * per batch-1 ResNet-50 image in its one 3x3 pool.
     */
    private static void select(FloatVector cell, int off, float[][] scratch) {
        FloatVector v = FloatVector.fromArray(P, scratch[RUN_VALUE], 0);
        VectorMask<Float> m = cell.compare(VectorOperators.GT, v);
        v.blend(cell, m).intoArray(scratch[RUN_VALUE], 0);
        FloatVector.fromArray(P, scratch[RUN_OFFSET], 0).blend((float) off, m).intoArray(scratch[RUN_OFFSET], 0);
        FloatVector.fromArray(P, scratch[RUN_PROBE], 0).max(cell).intoArray(scratch[RUN_PROBE], 0);
    }

    /**
     * Stores the first {@code lanes} windows of a block: their values {@code v} at {@code vals[o]} and their indices,
     * {@code idx0 + 2j} plus the chosen cell's offset {@code offs}, at {@code idx[o]}; {@code scratch} holds the
     * offsets and, for a partial block, the values before they are copied.
     */
    private static void storeWindows(FloatVector v, FloatVector offs, int lanes, float[][] scratch, float[] vals,
            long[] idx, int o, long idx0) {
        float[] at = scratch[0];
        offs.intoArray(at, 0);
        if (lanes == PL) {
            v.intoArray(vals, o);
        } else {
            float[] part = scratch[1];
            v.intoArray(part, 0);
            System.arraycopy(part, 0, vals, o, lanes);
        }
        for (int j = 0; j < lanes; j++) {
            idx[o + j] = idx0 + 2L * j + (int) at[j];
        }
    }

    /**
     * The even lanes of the vector pair at {@code x[at]}: {@code x[at + 2 * lane]}. Each of the two lane choices has
     * its own constant shuffle: a shuffle chosen at run time (one expression for both) left C2 unable to intrinsify the
     * rearrange and blend where it compiled a loader choosing between them on its own, and the depthwise convolutions'
     * stride-2 copies ran the Vector API's Java fallback (EfficientNet-B0's profile, JDK 25).
     */
    static FloatVector evenLanes(float[] x, int at) {
        return FloatVector.fromArray(P, x, at).rearrange(EVEN).blend(FloatVector.fromArray(P, x, at + PL).rearrange(EVEN), UPPER);
    }

    /** The odd lanes of the vector pair at {@code x[at]}: {@code x[at + 2 * lane + 1]} (see {@link #evenLanes}). */
    static FloatVector oddLanes(float[] x, int at) {
        return FloatVector.fromArray(P, x, at).rearrange(ODD).blend(FloatVector.fromArray(P, x, at + PL).rearrange(ODD), UPPER);
    }

    @Override
    void leakyReluBackward(float[] g, int go, float[] x, int xo, float[] d, int dof, int n, float slope) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += VL) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            gv.mul(slope).blend(gv, pos).intoArray(d, dof + i);
        }
        super.leakyReluBackward(g, go + i, x, xo + i, d, dof + i, n - i, slope);
    }

    /** Lane-wise MAX, which the Vector API defines as {@link Math#max(float, float)}. */
    @Override
    void relu(float[] s, int so, float[] d, int dof, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += VL) {
            FloatVector.fromArray(S, s, so + i).max(0f).intoArray(d, dof + i);
        }
        super.relu(s, so + i, d, dof + i, n - i);
    }

    @Override
    void reluBackward(float[] g, int go, float[] y, int yo, float[] d, int dof, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (int up = S.loopBound(n); i < up; i += VL) {
            VectorMask<Float> off = FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(S, g, go + i).blend(zero, off).intoArray(d, dof + i);
        }
        super.reluBackward(g, go + i, y, yo + i, d, dof + i, n - i);
    }

    /** Two compares and two blends, no mask arithmetic (JDK 17 compiles mask {@code and} through shared code). */
    @Override
    void clampBackward(float[] g, int go, float[] x, int xo, float[] d, int dof, int n, float lo, float hi) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (int up = S.loopBound(n); i < up; i += VL) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector above = zero.blend(FloatVector.fromArray(S, g, go + i), xv.compare(VectorOperators.GE, lo));
            zero.blend(above, xv.compare(VectorOperators.LE, hi)).intoArray(d, dof + i);
        }
        super.clampBackward(g, go + i, x, xo + i, d, dof + i, n - i, lo, hi);
    }

    @Override
    void where(byte[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] d, int dof, int n) {
        if (B.length() != VL) {
            super.where(c, co, a, ao, as, b, bo, bs, d, dof, n);
            return;
        }
        int i = 0;
        FloatVector av = as == 0 ? FloatVector.broadcast(S, a[ao]) : null;
        FloatVector bv = bs == 0 ? FloatVector.broadcast(S, b[bo]) : null;
        for (int up = S.loopBound(n); i < up; i += VL) {
            VectorMask<Float> m = ByteVector.fromArray(B, c, co + i).compare(VectorOperators.NE, (byte) 0).cast(S);
            FloatVector x = as == 0 ? av : FloatVector.fromArray(S, a, ao + i);
            FloatVector y = bs == 0 ? bv : FloatVector.fromArray(S, b, bo + i);
            y.blend(x, m).intoArray(d, dof + i);
        }
        super.where(c, co + i, a, ao + i * as, as, b, bo + i * bs, bs, d, dof + i, n - i);
    }
}
