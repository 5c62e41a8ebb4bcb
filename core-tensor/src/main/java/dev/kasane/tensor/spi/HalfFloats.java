package dev.kasane.tensor.spi;

import dev.kasane.tensor.DType;

/**
 * Conversions between {@code float} and the bit patterns of the 16-bit float dtypes
 * ({@link dev.kasane.tensor.DType#BF16}, {@link dev.kasane.tensor.DType#F16}), with PyTorch's rounding: to nearest,
 * ties to even. Widening is exact. Backends use these for copies with conversion; the JDK's
 * {@code Float.float16ToFloat} is JDK 20+, and Kasane targets 17.
 */
public final class HalfFloats {
    /** The bits of the NaN that F32 to BF16 produces for every NaN (c10's {@code round_to_nearest_even}). */
    public static final short BF16_NAN = 0x7FC0;
    /** The bits of the NaN that F32 to F16 produces for a positive NaN (the sign is kept), c10's choice. */
    public static final short F16_NAN = 0x7E00;

    private HalfFloats() {
    }

    /** IEEE 754 binary16 bits to float, exactly (subnormals, infinities, signed zeros and NaN payloads kept). */
    public static float f16ToF32(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // exact: subnormal halves are multiples of 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Float to IEEE 754 binary16 bits, rounding to nearest even: magnitudes from 65520 up become infinity, those below
     * 2^-14 become subnormal halves (or zero), the sign of zero is kept, and NaN becomes {@link #F16_NAN} with the sign.
     */
    public static short f32ToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7FFFFFFF;
        if (abs > 0x7F800000) {
            return (short) (sign | F16_NAN);
        }
        if (abs >= 0x477FF000) { // 65520 = 65504 + half an ulp: ties to even round up to infinity
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x38800000) { // below 2^-14: a multiple of 2^-24, rounded; 2^10 * 2^-24 is the smallest normal
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f));
        }
        int h = (((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3FF);
        int rest = abs & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
            h++; // a carry into the exponent is the correct next binade
        }
        return (short) (sign | h);
    }

    /** bfloat16 bits to float, exactly (bfloat16 is the top half of a float). */
    public static float bf16ToF32(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /**
     * Float to bfloat16 bits, rounding to nearest even (so large finite floats may round to infinity); every NaN
     * becomes {@link #BF16_NAN}.
     */
    public static short f32ToBf16(float f) {
        if (Float.isNaN(f)) {
            return BF16_NAN;
        }
        int x = Float.floatToRawIntBits(f);
        return (short) ((x + 0x7FFF + ((x >>> 16) & 1)) >>> 16);
    }

    /** The bits of {@code dtype} (BF16 or F16) widened to float: {@link #bf16ToF32} or {@link #f16ToF32}. */
    public static float toF32(DType dtype, short bits) {
        return dtype == DType.BF16 ? bf16ToF32(bits) : f16ToF32(bits);
    }

    /** {@code v} rounded to {@code dtype} (BF16 or F16): {@link #f32ToBf16} or {@link #f32ToF16}. */
    public static short fromF32(DType dtype, float v) {
        return dtype == DType.BF16 ? f32ToBf16(v) : f32ToF16(v);
    }
}
