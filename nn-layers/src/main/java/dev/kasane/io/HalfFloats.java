package dev.kasane.io;

/** Conversions from the 16-bit float formats of safetensors files to {@code float}. */
final class HalfFloats {
    private HalfFloats() {
    }

    /** IEEE 754 binary16 to float, exactly (subnormals, infinities and NaN payloads kept). */
    static float f16ToF32(short h) {
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

    /** bfloat16 to float, exactly (bfloat16 is the top half of a float). */
    static float bf16ToF32(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }
}
