package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** {@code clamp(x, minVal, maxVal)}. */
public class Hardtanh extends FunctionLayer {
    /** Clamps to [-1, 1]. */
    public Hardtanh() {
        this(-1, 1);
    }

    /** Clamps to [minVal, maxVal]. */
    public Hardtanh(double minVal, double maxVal) {
        super(x -> F.hardtanh(x, minVal, maxVal), "min_val=" + checkRange(minVal, maxVal) + ", max_val=" + maxVal);
    }

    /** {@code minVal}, checked not to exceed {@code maxVal}. */
    private static double checkRange(double minVal, double maxVal) {
        if (minVal > maxVal) {
            throw new IllegalArgumentException("Hardtanh: min_val " + minVal + " must not exceed max_val " + maxVal);
        }
        return minVal;
    }
}
