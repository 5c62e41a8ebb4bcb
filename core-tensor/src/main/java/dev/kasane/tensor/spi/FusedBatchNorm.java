package dev.kasane.tensor.spi;

import dev.kasane.tensor.NDArray;

/**
 * Optional per-channel batch-normalization kernels (training mode, statistics over every dim but 1; inference mode,
 * the running statistics folded into a per-channel scale and shift), offered through {@link Backend#extension}. A method returns null to decline a call; the caller then runs the composed
 * version (reductions and broadcast elementwise ops), whose results a kernel must reproduce within rounding.
 */
public interface FusedBatchNorm {
    /**
     * Normalizes {@code x} with its biased batch statistics, then scales by {@code weight} and shifts by {@code bias}
     * (either may be null). Returns {y, mean, var} with mean and var of shape [C], or null if declined.
     */
    NDArray[] batchNorm(NDArray x, NDArray weight, NDArray bias, double eps);

    /** The gradients {dx, dweight (null without weight), dbias} of {@link #batchNorm}, or null if declined. */
    NDArray[] batchNormBackward(NDArray grad, NDArray x, NDArray weight, NDArray mean, NDArray var, double eps);

    /**
     * Inference-mode batch normalization: {@code x * scale + shift} with per-channel (dim 1) {@code scale} and
     * {@code shift} of shape [C], each element rounded as the composite {@code x.mul(scale).add(shift)} rounds it (a
     * product, then a sum: no fused multiply-add); then, with a {@code residual} of x's shape and dtype (or null), plus
     * the residual (one more rounded sum); then, with {@code relu}, {@code max(v, 0)} as the ReLU kernel takes it. The
     * result goes into a new array of x's shape, or over x itself with {@code inPlace} (the caller checks that x is
     * writable and bumps its version); returns it, or null if declined.
     */
    NDArray scaleShift(NDArray x, NDArray scale, NDArray shift, NDArray residual, boolean relu, boolean inPlace);
}
