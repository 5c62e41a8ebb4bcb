package dev.kasane.nn.functional;

import dev.kasane.autograd.Tensor;

/** Activation functions composed from differentiable Tensor ops (so they support gradients of any order). */
final class Activations {
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;

    private Activations() {
    }

    static Tensor elu(Tensor x, double alpha) {
        // exp of min(x, 0): the branch that where() discards stays finite, so its zero gradient stays zero
        Tensor negative = x.clamp(Double.NEGATIVE_INFINITY, 0).exp().sub(1).mul(alpha);
        return Tensor.where(x.gt(0), x, negative);
    }

    static Tensor selu(Tensor x) {
        return elu(x, SELU_ALPHA).mul(SELU_SCALE);
    }

    static Tensor gelu(Tensor x, boolean tanhApproximation) {
        if (tanhApproximation) {
            Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
            return x.mul(inner.tanh().add(1)).mul(0.5);
        }
        return x.mul(x.mul(INV_SQRT2).erf().add(1)).mul(0.5);
    }

    static Tensor silu(Tensor x) {
        return new SiluOp().apply(x);
    }

    /** {@code log(1 + exp(beta x)) / beta}, and {@code x} where {@code beta x > threshold}; overflow-free. */
    static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor z = beta == 1 ? x : x.mul(beta);
        Tensor sp = softplus(z);
        if (beta != 1) {
            sp = sp.div(beta);
        }
        return Tensor.where(z.gt(threshold), x, sp);
    }

    /** {@code log(1 + exp(x))}, overflow-free, with the exact gradient everywhere. */
    static Tensor softplus(Tensor x) {
        return new SoftplusOp().apply(x);
    }

    static Tensor mish(Tensor x) {
        return x.mul(softplus(x, 1, 20).tanh());
    }

    static Tensor logSigmoid(Tensor x) {
        return softplus(x.neg()).neg();
    }
}
