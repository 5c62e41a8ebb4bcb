package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * A layer with a {@code weight} and an optional {@code bias} [out] drawn from PyTorch's default distributions for
 * Linear and the convolutions: weight Kaiming-uniform with {@code a = sqrt(5)}, bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
 */
abstract class WeightBiasLayer extends Module {
    /** Registers {@code weight} of {@code weightShape} and, if {@code bias}, {@code bias} [biasSize]; initialises both. */
    final void registerWeightAndBias(int[] weightShape, boolean bias, int biasSize) {
        registerParameter("weight", Tensor.zeros(Layers.floatType(), Layers.device(), weightShape));
        if (bias) {
            registerParameter("bias", Tensor.zeros(Layers.floatType(), Layers.device(), biasSize));
        }
        resetParameters();
    }

    /** Re-draws the parameters from PyTorch's default distributions. */
    public void resetParameters() {
        Layers.defaultInit(weight(), bias());
    }

    /** The weight ([out, in] for Linear, [out, in/groups, k...] for a convolution, [in, out/groups, k...] transposed). */
    public Tensor weight() {
        return param("weight");
    }

    /** The bias [out], or null. */
    public Tensor bias() {
        return paramOrNull("bias");
    }
}
