package dev.kasane.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The 16-bit float conversions, exhaustively over all 65,536 bit patterns of each format, against a reference computed
 * another way: the value from the format's definition in double arithmetic, and rounding checked at every midpoint
 * between neighbouring 16-bit values (and one float ulp either side of it). Exact: tolerance 0.
 */
class HalfFloatsTest {
    /**
     * The value of 16 bits from the definition of a binary float format with {@code expBits} exponent bits (bias
     * 2^(expBits-1) - 1) and 15 - expBits mantissa bits, in double arithmetic: (-1)^s * 2^(e-bias) * (1 + m/2^mbits),
     * subnormals 2^(1-bias) * m/2^mbits, all-ones exponent infinity or NaN. F16 has 5 exponent bits, BF16 8.
     */
    private static double reference(int bits, int expBits) {
        int mantBits = 15 - expBits;
        int bias = (1 << (expBits - 1)) - 1;
        int e = (bits >>> mantBits) & ((1 << expBits) - 1);
        double m = (bits & ((1 << mantBits) - 1)) / (double) (1 << mantBits);
        double sign = (bits >>> 15) == 1 ? -1 : 1;
        if (e == (1 << expBits) - 1) {
            return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * (e == 0 ? Math.scalb(m, 1 - bias) : Math.scalb(1 + m, e - bias));
    }

    @Test
    void widenMatchesTheDefinitionForEveryPattern() {
        for (boolean f16 : new boolean[] {true, false}) {
            for (int b = 0; b < 65536; b++) {
                double want = reference(b, f16 ? 5 : 8);
                float got = widen(f16, b);
                String at = (f16 ? "f16 " : "bf16 ") + Integer.toHexString(b);
                if (Double.isNaN(want)) {
                    assertTrue(Float.isNaN(got), at);
                } else {
                    assertEquals(want, got, 0.0, at);
                    assertEquals(b >= 0x8000, (Float.floatToRawIntBits(got) >>> 31) == 1, "sign of " + at);
                }
            }
        }
    }

    @Test
    void narrowingRoundTripsEveryNonNaNPatternAndCanonicalisesNaN() {
        for (int b = 0; b < 65536; b++) {
            short h = (short) b;
            float f16 = HalfFloats.f16ToF32(h);
            float bf = HalfFloats.bf16ToF32(h);
            short want16 = Float.isNaN(f16) ? (short) ((b & 0x8000) | HalfFloats.F16_NAN) : h;
            short wantBf = Float.isNaN(bf) ? HalfFloats.BF16_NAN : h;
            assertEquals(want16, HalfFloats.f32ToF16(f16), "f16 " + Integer.toHexString(b));
            assertEquals(wantBf, HalfFloats.f32ToBf16(bf), "bf16 " + Integer.toHexString(b));
        }
    }

    /**
     * For every pair of neighbouring finite non-negative 16-bit values: the float midpoint rounds to the one with an
     * even last bit, the next float up to the upper one and the next float down to the lower one; the sign is
     * symmetric. Past the largest finite value the threshold is where the next (missing) value would be halfway:
     * F16 65520 and beyond it rounds to infinity, just below it to 65504; likewise for BF16.
     */
    @Test
    void narrowingRoundsToNearestEvenAtEveryMidpoint() {
        checkMidpoints(true, 0x7C00);
        checkMidpoints(false, 0x7F80);
    }

    private static void checkMidpoints(boolean f16, int infBits) {
        for (int lo = 0; lo < infBits - 1; lo++) {
            int hi = lo + 1;
            float a = widen(f16, lo);
            float b = widen(f16, hi);
            float mid = (float) ((a + (double) b) / 2); // exact: a float has 13 (16) more mantissa bits than the format
            assertEquals((a + (double) b) / 2, mid, 0.0);
            int even = (lo & 1) == 0 ? lo : hi;
            for (float sign : new float[] {1, -1}) {
                int s = sign < 0 ? 0x8000 : 0;
                String at = (f16 ? "f16 " : "bf16 ") + Integer.toHexString(lo) + " sign " + sign;
                assertEquals((short) (s | even), narrow(f16, sign * mid), "midpoint " + at);
                assertEquals((short) (s | hi), narrow(f16, sign * Math.nextUp(mid)), "above midpoint " + at);
                assertEquals((short) (s | lo), narrow(f16, sign * Math.nextDown(mid)), "below midpoint " + at);
            }
        }
        float max = widen(f16, infBits - 1);
        float overflow = max + (max - widen(f16, infBits - 2)) / 2; // max plus half the spacing below it (exact)
        assertEquals((short) infBits, narrow(f16, overflow), "the overflow threshold rounds to even: infinity");
        assertEquals((short) (infBits - 1), narrow(f16, Math.nextDown(overflow)), "just below the threshold");
        assertEquals((short) infBits, narrow(f16, Float.MAX_VALUE));
        assertEquals((short) (0x8000 | infBits), narrow(f16, Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x8000, narrow(f16, -Float.MIN_VALUE), "a tiny negative rounds to -0");
    }

    private static float widen(boolean f16, int bits) {
        return f16 ? HalfFloats.f16ToF32((short) bits) : HalfFloats.bf16ToF32((short) bits);
    }

    private static short narrow(boolean f16, float v) {
        return f16 ? HalfFloats.f32ToF16(v) : HalfFloats.f32ToBf16(v);
    }

    @Test
    void knownPatterns() {
        assertEquals(1.0f, HalfFloats.f16ToF32((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.f16ToF32((short) 0xC000));
        assertEquals(65504f, HalfFloats.f16ToF32((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.f16ToF32((short) 0x0001));
        assertEquals(0x1p-14f, HalfFloats.f16ToF32((short) 0x0400));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToF32((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.f16ToF32((short) 0x7E00)));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(HalfFloats.f16ToF32((short) 0x8000)));
        assertEquals(1.0f, HalfFloats.bf16ToF32((short) 0x3F80));
        assertEquals(-3.140625f, HalfFloats.bf16ToF32((short) 0xC049));
    }
}
