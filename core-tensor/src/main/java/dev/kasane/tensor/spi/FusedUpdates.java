package dev.kasane.tensor.spi;

import dev.kasane.tensor.NDArray;

/**
 * Optional one-pass in-place update kernels for optimizers, offered through {@link Backend#extension}. The caller has
 * checked shapes, dtypes, devices and aliasing and expanded the operands to {@code dst}'s shape. A method returns
 * false to decline a call; the caller then runs the composed in-place ops, and a kernel must round every element as
 * they do (results equal bit for bit).
 */
public interface FusedUpdates {
    /**
     * {@code dst += value * a * b}, or {@code dst += value * a} when {@code b} is null (PyTorch's {@code addcmul_} and
     * {@code add_(a, alpha)}), rounded as {@code (a * b) * value} then added; false if declined.
     */
    boolean addcmul(NDArray dst, NDArray a, NDArray b, double value);

    /** {@code dst += value * a / b} (PyTorch's {@code addcdiv_}), rounded as {@code (a / b) * value} then added. */
    boolean addcdiv(NDArray dst, NDArray a, NDArray b, double value);

    /**
     * One Adam step on {@code param}: the moment updates, the AMSGrad maximum when {@code maxExpAvgSq} is not null,
     * and {@code param -= stepSize * expAvg / (sqrt(second) / bc2Sqrt + eps)}, rounded as the in-place ops do; false
     * if declined.
     */
    boolean adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, double beta1,
            double beta2, double stepSize, double bc2Sqrt, double eps);
}
