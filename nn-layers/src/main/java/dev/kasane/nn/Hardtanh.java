package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** {@code clamp(x, minVal, maxVal)}. */
public class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    /** Clamps to [-1, 1]. */
    public Hardtanh() {
        this(-1, 1);
    }

    /** Clamps to [minVal, maxVal]. */
    public Hardtanh(double minVal, double maxVal) {
        if (minVal > maxVal) {
            throw new IllegalArgumentException("Hardtanh: min_val " + minVal + " must not exceed max_val " + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardtanh(input, minVal, maxVal);
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + minVal + ", max_val=" + maxVal;
    }
}
