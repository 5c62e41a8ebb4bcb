package dev.kasane.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
