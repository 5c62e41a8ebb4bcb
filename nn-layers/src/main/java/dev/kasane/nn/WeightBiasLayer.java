package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * A layer with a {@code weight} and an optional {@code bias} [out] drawn from PyTorch's default distributions for
 * Linear and the convolutions: weight Kaiming-uniform with {@code a = sqrt(5)}, bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
 */
public abstract class WeightBiasLayer extends WeightLayer {
    /** For subclasses, which register the weight and bias. */
    protected WeightBiasLayer() {
    }

    /** Registers {@code weight} of {@code weightShape} and, if {@code bias}, {@code bias} [biasSize]; initialises both. */
    final void registerWeightAndBias(int[] weightShape, boolean bias, int biasSize) {
        registerParameter("weight", Tensor.zeros(Layers.floatType(), Layers.device(), weightShape));
        if (bias) {
            registerParameter("bias", Tensor.zeros(Layers.floatType(), Layers.device(), biasSize));
        }
        resetParameters();
    }

    /**
     * Re-draws the parameters from PyTorch's default distributions.
     *
     * @throws IllegalArgumentException if the weight is reparametrized (initialise {@code weight_orig} or
     *                                  {@code weight_v} directly then)
     */
    public void resetParameters() {
        String by = weightReparametrization();
        if (by != null) {
            throw error("resetParameters: no parameter 'weight' to initialise, " + by + " computes the weight");
        }
        Layers.defaultInit(param("weight"), bias());
    }

    /** The bias [out], or null. */
    public Tensor bias() {
        return paramOrNull("bias");
    }
}
