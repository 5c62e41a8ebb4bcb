package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.Arrays;

/**
 * Parameter initialisation, as PyTorch's {@code torch.nn.init}: each function fills a tensor in place (without
 * recording a graph) and returns it. Functions without a {@link Generator} argument use
 * {@link Generator#global()}, so {@code Generator.seedGlobal(s)} before building a model makes its initialisation
 * reproducible. Distributions (bounds, standard deviations, fans, gains) are PyTorch's; the random streams are
 * Kasane's own.
 */
public final class Init {
    private Init() {
    }

    /** Which fan {@link #kaimingUniform} and {@link #kaimingNormal} preserve. */
    public enum FanMode {
        /** Preserve the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserve the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /** Nonlinearities with a recommended gain ({@link #calculateGain}). */
    public enum Nonlinearity {
        /** Gain 1. */
        LINEAR,
        /** Gain 1 (any convolution). */
        CONV,
        /** Gain 1. */
        SIGMOID,
        /** Gain 5/3. */
        TANH,
        /** Gain sqrt(2). */
        RELU,
        /** Gain sqrt(2 / (1 + slope^2)). */
        LEAKY_RELU,
        /** Gain 3/4. */
        SELU
    }

    /** The recommended gain for a nonlinearity ({@code param}: the negative slope of LEAKY_RELU, else ignored). */
    public static double calculateGain(Nonlinearity nl, double param) {
        switch (nl) {
            case TANH:
                return 5.0 / 3;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU:
                return Math.sqrt(2.0 / (1 + param * param));
            case SELU:
                return 3.0 / 4;
            default:
                return 1.0;
        }
    }

    /**
     * {fanIn, fanOut} of a weight shape as PyTorch computes them: dim 1 and dim 0 times the receptive field (the
     * product of dims 2..). Needs at least 2 dims.
     */
    public static int[] fans(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("init: fan in and fan out can not be computed for a tensor with fewer than 2 "
                    + "dimensions, got shape " + Arrays.toString(shape));
        }
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    /** Fills with U(lo, hi). */
    public static Tensor uniform(Tensor t, double lo, double hi, Generator gen) {
        return fill(t, Tensor.uniform(gen, lo, hi, t.dtype(), t.device(), t.shape()));
    }

    /** Fills with U(lo, hi) from the global generator. */
    public static Tensor uniform(Tensor t, double lo, double hi) {
        return uniform(t, lo, hi, Generator.global());
    }

    /** Fills with N(mean, std^2). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        return fill(t, Tensor.normal(gen, mean, std, t.dtype(), t.device(), t.shape()));
    }

    /** Fills with N(mean, std^2) from the global generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Generator.global());
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (var g = Autograd.noGrad()) {
            t.fillInPlace(value);
        }
        return t;
    }

    /** Fills with zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** Fills with ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /**
     * He (Kaiming) uniform: U(-b, b) with {@code b = gain * sqrt(3 / fan)}; {@code a} is the negative slope for
     * LEAKY_RELU. PyTorch's Linear and Conv layers use {@code a = sqrt(5)}, FAN_IN, LEAKY_RELU.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nl, Generator gen) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nl);
        return uniform(t, -bound, bound, gen);
    }

    /** {@link #kaimingUniform(Tensor, double, FanMode, Nonlinearity, Generator)} with the global generator. */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        return kaimingUniform(t, a, mode, nl, Generator.global());
    }

    /** He (Kaiming) normal: N(0, std^2) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nl, Generator gen) {
        return normal(t, 0, kaimingStd(t, a, mode, nl), gen);
    }

    /** {@link #kaimingNormal(Tensor, double, FanMode, Nonlinearity, Generator)} with the global generator. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        return kaimingNormal(t, a, mode, nl, Generator.global());
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nl) {
        int[] f = fans(t.shape());
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        return fan == 0 ? 0 : calculateGain(nl, a) / Math.sqrt(fan);
    }

    /** Glorot (Xavier) uniform: U(-b, b) with {@code b = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        int[] f = fans(t.shape());
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, gen);
    }

    /** {@link #xavierUniform(Tensor, double, Generator)} with the global generator. */
    public static Tensor xavierUniform(Tensor t, double gain) {
        return xavierUniform(t, gain, Generator.global());
    }

    /** Glorot (Xavier) normal: N(0, std^2) with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        int[] f = fans(t.shape());
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), gen);
    }

    /** {@link #xavierNormal(Tensor, double, Generator)} with the global generator. */
    public static Tensor xavierNormal(Tensor t, double gain) {
        return xavierNormal(t, gain, Generator.global());
    }

    /**
     * A (semi-)orthogonal matrix, as PyTorch: the tensor is viewed as [dim0, rest], a normal matrix is QR
     * factorised (with the signs of R's diagonal folded into Q) and scaled by {@code gain}.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator gen) {
        int[] shape = t.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("init.orthogonal: only tensors with 2 or more dimensions are supported, got shape "
                    + Arrays.toString(shape));
        }
        int rows = shape[0];
        int cols = t.numel() / Math.max(rows, 1);
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;
        double[] a = new double[m * n];
        gen.fillNormal(a, 0, 1);
        double[] q = gramSchmidtQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = gain * q[i * n + j];
                if (transpose) {
                    out[j * cols + i] = v;
                } else {
                    out[i * cols + j] = v;
                }
            }
        }
        return fill(t, Tensor.of(out, shape).toType(t.dtype()).to(t.device()));
    }

    /** {@link #orthogonal(Tensor, double, Generator)} with the global generator. */
    public static Tensor orthogonal(Tensor t, double gain) {
        return orthogonal(t, gain, Generator.global());
    }

    /**
     * The thin Q (m x n, m &gt;= n, row-major) of the QR factorisation of {@code a}, with columns multiplied by the
     * sign of R's diagonal (so the result is unique). Modified Gram-Schmidt, twice for stability.
     */
    private static double[] gramSchmidtQ(double[] a, int m, int n) {
        double[] q = a.clone();
        for (int j = 0; j < n; j++) {
            double rjj = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += q[i * n + k] * q[i * n + j];
                    }
                    for (int i = 0; i < m; i++) {
                        q[i * n + j] -= dot * q[i * n + k];
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                rjj += q[i * n + j] * q[i * n + j];
            }
            rjj = Math.sqrt(rjj);
            // Gram-Schmidt gives R with a positive diagonal, which is Q * sign(diag(R)) of any other QR.
            for (int i = 0; i < m; i++) {
                q[i * n + j] = rjj == 0 ? 0 : q[i * n + j] / rjj;
            }
        }
        return q;
    }

    /** Copies {@code values} into {@code t} without recording a graph (a parameter stays a leaf). */
    private static Tensor fill(Tensor t, Tensor values) {
        try (var g = Autograd.noGrad()) {
            t.copyFrom(values);
        }
        return t;
    }
}
