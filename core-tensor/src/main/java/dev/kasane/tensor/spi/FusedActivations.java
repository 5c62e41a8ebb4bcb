package dev.kasane.tensor.spi;

import dev.kasane.tensor.NDArray;

/**
 * Optional one-pass kernels for the ReLU family, offered through {@link Backend#extension}. Each method may decline
 * a call (return null) for layouts or dtypes it does not handle; the caller then runs the composed version, which
 * defines the result: a kernel must return exactly what the composition returns, bit for bit.
 */
public interface FusedActivations {
    /** {@code x > 0 ? x : negativeSlope * x} into a new array, or null if declined. */
    NDArray leakyRelu(NDArray x, double negativeSlope);

    /** {@code input > 0 ? grad : negativeSlope * grad} into a new array, or null if declined. */
    NDArray leakyReluBackward(NDArray grad, NDArray input, double negativeSlope);

    /** {@code result <= 0 ? 0 : grad} (ReLU's gradient from its output) into a new array, or null if declined. */
    NDArray reluBackward(NDArray grad, NDArray result);

    /**
     * {@code min <= input && input <= max ? grad : 0} (clamp's and hardtanh's gradient; a NaN input gets 0) into a new
     * array, or null if declined. The bounds are converted to the arrays' dtype before comparing. The default declines.
     */
    default NDArray clampBackward(NDArray grad, NDArray input, double min, double max) {
        return null;
    }
}
