package dev.kasane.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Seeds C2's type profiles of the Vector API's shared code on JDKs before 25 run without
 * {@link VectorSupport#TRAP_LIMIT_FLAGS}. Every binary operator reaches {@code FloatVector.lanewiseTemplate} through
 * one call site that looks its implementation up ({@code VectorOperators.ImplCache.find}) and casts it; when C2
 * compiles a kernel, that lookup is inlined late, so the cast is compiled from the profile. Had the profile seen one
 * operator only (say the ADD of the first kernels to run), C2 speculates on it, and each kernel that uses another
 * operator (the SUB of the Winograd transforms) fails that check: a handful of failures there, counted once for
 * every time a kernel inlines that code, reaches JDK 17's limit of 100 per compilation, and the next compilations
 * lose the intrinsics (see {@link VectorSupport#TRAP_LIMIT_FLAGS}). Running every operator, comparison, test and
 * conversion that the kernels use, for each lane type, through that code before any kernel runs makes those
 * profiles polymorphic from the start, so C2 never speculates there. Loaded only by {@link VectorSupport} after it
 * has found the {@code jdk.incubator.vector} module.
 */
final class VectorProfileSeed implements Runnable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.length() * 8)));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as {@link #I} (the int8 GEMM's loads). */
    private static final VectorSpecies<Byte> IB =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, I.length() * 8)));
    /** The binary operators of every lane type (and DIV for the floating ones). */
    private static final VectorOperators.Binary[] BINARY = {
        VectorOperators.ADD, VectorOperators.SUB, VectorOperators.MUL, VectorOperators.MIN, VectorOperators.MAX};
    private static final VectorOperators.Comparison[] COMPARISONS = {
        VectorOperators.EQ, VectorOperators.NE, VectorOperators.LT, VectorOperators.LE, VectorOperators.GT,
        VectorOperators.GE};
    /**
     * Rounds: the shared methods must reach C1's profiling code (after 200 calls) while the seed still runs. 300 were
     * enough in every logged run; 1000 leave room for a busy compile queue (about 0.2 s at start-up).
     */
    private static final int ROUNDS = 1000;
    /** Where {@link #run} leaves its count of true lanes (which also keeps its results alive). */
    private static volatile int trueLanes;

    /** The true lanes that the last {@link #run} counted in its comparisons of zeros. */
    static int trueLanes() {
        return trueLanes;
    }

    /** The number of true lanes a run counts: per round, EQ, LE and GE of zeros in both vectors, and a full mask. */
    static int expectedTrueLanes() {
        return ROUNDS * (3 * D.length() + 3 * I.length() + F.length());
    }

    @Override
    public void run() {
        float[] f = new float[F.length()];
        double[] d = new double[D.length()];
        int[] n = new int[I.length()];
        byte[] b = new byte[Math.max(B.length(), IB.length())];
        int hits = 0;
        for (int r = 0; r < ROUNDS; r++) {
            FloatVector x = FloatVector.fromArray(F, f, 0);
            DoubleVector y = DoubleVector.fromArray(D, d, 0);
            IntVector z = IntVector.fromArray(I, n, 0);
            for (VectorOperators.Binary op : BINARY) {
                x = x.lanewise(op, x);
                y = y.lanewise(op, y);
                z = z.lanewise(op, z);
            }
            x = x.add(x).sub(x).mul(x).div(1f).min(x).max(x).fma(x, x);
            y = y.add(y).sub(y).mul(y).div(1d).min(y).max(y).fma(y, y);
            z = z.add(z).mul(z).add((IntVector) ByteVector.fromArray(IB, b, 0).convertShape(VectorOperators.B2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 0);
            // the sigmoid's exp: a float's bits as ints, shifted into the exponent bits, read back as floats
            x = x.mul(((IntVector) x.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 0).reinterpretAsFloats());
            VectorMask<Float> m = x.test(VectorOperators.IS_NAN);
            for (VectorOperators.Comparison c : COMPARISONS) {
                m = m.or(x.compare(c, x)).or(x.compare(c, 0f));
                hits += y.compare(c, y).trueCount() + z.compare(c, z).trueCount();
            }
            hits += ByteVector.fromArray(B, b, 0).compare(VectorOperators.NE, (byte) 0).cast(F).or(m).trueCount();
            x.blend(x, m).intoArray(f, 0);
            ((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0)).add(y).intoArray(d, 0);
            z.intoArray(n, 0);
        }
        trueLanes = hits;
    }
}
