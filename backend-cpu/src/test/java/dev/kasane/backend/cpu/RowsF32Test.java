package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops of {@link VectorSupport.RowsF32} ({@code VectorRowsF32}) against the scalar ones, bit for bit
 * (tolerance 0): lengths below, at and between whole vectors, offsets, runs that end at the array's last element
 * (where a vector pair would read past it), and special values (NaN, infinities, signed zeros).
 */
class RowsF32Test {
    private static final VectorSupport.RowsF32 SCALAR = new VectorSupport.RowsF32();

    private static float[] values(Random r, int n) {
        float[] a = new float[n];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 3e38f};
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian();
        }
        return a;
    }

    private static VectorSupport.RowsF32 vector() {
        VectorSupport.RowsF32 v = VectorSupport.rowsF32();
        assumeTrue(v.getClass() != VectorSupport.RowsF32.class, "needs --add-modules jdk.incubator.vector");
        return v;
    }

    @Test
    void everyOtherMatchesTheScalarLoop() {
        VectorSupport.RowsF32 v = vector();
        Random r = new Random(1);
        for (int n : new int[] {1, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100}) {
            for (int s0 : new int[] {0, 1, 5}) {
                for (int extra : new int[] {0, 1, 40}) { // extra 0: the run's last element is the array's last
                    float[] s = values(r, s0 + 2 * (n - 1) + 1 + extra);
                    float[] want = new float[n + 3];
                    float[] got = new float[n + 3];
                    SCALAR.everyOther(s, s0, want, 3, n);
                    v.everyOther(s, s0, got, 3, n);
                    assertArrayEquals(want, got, 0f, "n " + n + " s0 " + s0 + " extra " + extra);
                }
            }
        }
    }

    @Test
    void tapsMatchTheScalarLoop() {
        VectorSupport.RowsF32 v = vector();
        Random r = new Random(2);
        int[][] offsets = {{0}, {0, 1, 2, 34, 35, 36, 68, 69, 70}, {5, 0, 3, 200}};
        for (int[] off : offsets) {
            for (int n : new int[] {1, 15, 16, 33, 130}) {
                float[] w = values(r, off.length + 2);
                float[] s = values(r, 2 + 210 + n);
                float[] want = new float[n + 1];
                float[] got = new float[n + 1];
                SCALAR.taps(w, 2, off, s, 2, want, 1, n);
                v.taps(w, 2, off, s, 2, got, 1, n);
                assertArrayEquals(want, got, 0f, "n " + n + " taps " + off.length);
            }
        }
    }

    @Test
    void sigmoidIsWithinTwoUlpsAndTheSameForEveryLayout() {
        VectorSupport.RowsF32 v = vector();
        Random r = new Random(3);
        int n = 1000; // not a multiple of a vector: a masked last one
        float[] s = new float[3 * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (r.nextGaussian() * 8);
        }
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 80f, -80f, 1e-30f};
        System.arraycopy(specials, 0, s, 0, specials.length);
        float[] dense = new float[n];
        v.sigmoid(s, 0, 1, dense, 0, 1, n);
        for (int i = 0; i < n; i++) {
            double x = s[i];
            float want = (float) (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(dense[i]), "x " + x);
            } else {
                assertTrue(Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(dense[i])) <= 2,
                        "x " + x + ": " + dense[i] + " vs " + want);
            }
        }
        float[] strided = new float[2 * n];
        v.sigmoid(s, 0, 1, strided, 0, 2, n);           // strided output
        float[] gathered = new float[n];
        float[] spread = new float[3 * n];
        for (int i = 0; i < n; i++) {
            spread[3 * i] = s[i];
        }
        v.sigmoid(spread, 0, 3, gathered, 0, 1, n);      // strided input
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(dense[i]), Float.floatToIntBits(strided[2 * i]), "strided output " + i);
            assertEquals(Float.floatToIntBits(dense[i]), Float.floatToIntBits(gathered[i]), "strided input " + i);
        }
        float[] tail = new float[5];
        v.sigmoid(s, 0, 1, tail, 0, 1, 5);              // shorter than a vector
        for (int i = 0; i < 5; i++) {
            assertEquals(Float.floatToIntBits(dense[i]), Float.floatToIntBits(tail[i]), "short run " + i);
        }
    }
    @Test
    void scaleShiftMatchesTheScalarLoop() {
        VectorSupport.RowsF32 v = vector();
        Random r = new Random(4);
        for (int n : new int[] {1, 7, 15, 16, 17, 49, 63, 64, 196}) {
            for (int variant = 0; variant < 4; variant++) {
                boolean relu = (variant & 1) != 0;
                float[] res = (variant & 2) != 0 ? values(r, n + 3) : null;
                float[] x = values(r, n + 2);
                float[] want = values(r, n + 1);
                float[] got = want.clone();
                SCALAR.scaleShift(x, 2, 1.5f, -0.25f, res, 3, relu, want, 1, n);
                v.scaleShift(x, 2, 1.5f, -0.25f, res, 3, relu, got, 1, n);
                assertArrayEquals(want, got, 0f, "n " + n + " relu " + relu + " residual " + (res != null));
                float[] over = x.clone();   // in place
                v.scaleShift(over, 2, 1.5f, -0.25f, res, 3, relu, over, 2, n);
                for (int q = 0; q < n; q++) {
                    assertEquals(Float.floatToIntBits(want[1 + q]), Float.floatToIntBits(over[2 + q]), "in place, n " + n);
                }
            }
        }
    }

    /**
     * The vector exp of the sigmoid step by step in scalar float arithmetic ({@link Math#fma} where the kernel fuses):
     * the kernel must give these bits in every lane, which holds whether C2 or the Java fallback runs it.
     */
    private static float expTwin(float x) {
        float t = Math.min(Math.max(x, VectorRowsF32.EXP_LOW), VectorRowsF32.EXP_HIGH);
        float n = (t * VectorRowsF32.LOG2E + VectorRowsF32.ROUNDER) - VectorRowsF32.ROUNDER;
        float r = Math.fma(n, -VectorRowsF32.LN2_HI, t);
        r = Math.fma(n, -VectorRowsF32.LN2_LO, r);
        float p = VectorRowsF32.EXP_POLY[0];
        for (int k = 1; k < VectorRowsF32.EXP_POLY.length; k++) {
            p = Math.fma(p, r, VectorRowsF32.EXP_POLY[k]);
        }
        float e = p * (r * r) + r + 1f;
        float scaled = e * Float.intBitsToFloat(((int) n + 127) << 23);
        return x > VectorRowsF32.EXP_HIGH ? Float.POSITIVE_INFINITY : scaled;
    }

    @Test
    void sigmoidIsItsScalarTwinBitForBitAndExpIsWithinTwoUlps() {
        VectorSupport.RowsF32 v = vector();
        Random r = new Random(5);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < 200 ? (i - 100) * 0.9f : (float) (r.nextGaussian() * 30);
        }
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 87.5f, -87.5f, 88.5f,
            -88.5f, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(specials, 0, x, 0, specials.length);
        float[] got = new float[n];
        v.sigmoid(x, 0, 1, got, 0, 1, n);
        for (int i = 0; i < n; i++) {
            float want = 1f / (1f + expTwin(x[i] * -1f));
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), "sigmoid of " + x[i]);
            float e = expTwin(x[i]);
            double exact = Math.exp(x[i]);
            if (x[i] >= VectorRowsF32.EXP_LOW && x[i] <= VectorRowsF32.EXP_HIGH) {
                assertTrue(Math.abs(Float.floatToIntBits(e) - Float.floatToIntBits((float) exact)) <= 2,
                        "exp of " + x[i] + ": " + e + " vs " + exact);
            }
        }
    }
}
