package dev.kasane.nn.functional;

import java.util.Arrays;

/** Expands PyTorch-style "int or pair" arguments. */
final class Shape2 {
    private Shape2() {
    }

    /** {@code {v, v}} for one value, the two values for two; validates positivity for stride and dilation. */
    static int[] pair(String op, String what, int[] v) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
        }
        int[] r = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        int min = what.equals("stride") || what.equals("dilation") || what.equals("kernel_size") ? 1 : 0;
        if (r[0] < min || r[1] < min) {
            throw new IllegalArgumentException(op + ": " + what + " must be >= " + min + ", got " + Arrays.toString(v));
        }
        return r;
    }
}
