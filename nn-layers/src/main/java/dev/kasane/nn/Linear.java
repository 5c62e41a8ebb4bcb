package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * {@code y = x W^T + b} on the last dim of [..., in]. Parameters {@code weight} [out, in] and {@code bias} [out],
 * initialised as PyTorch: weight Kaiming-uniform with {@code a = sqrt(5)} (U(-1/sqrt(in), 1/sqrt(in))), bias
 * U(-1/sqrt(in), 1/sqrt(in)).
 */
public class Linear extends WeightBiasLayer {
    private final int inFeatures;
    private final int outFeatures;

    /** A linear layer with bias. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** A linear layer, with or without bias. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = Layers.nonNegative("Linear", "in_features", inFeatures);
        this.outFeatures = Layers.nonNegative("Linear", "out_features", outFeatures);
        registerWeightAndBias(new int[] {outFeatures, inFeatures}, bias, outFeatures);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 1) {
            throw error("expected input of shape (*, " + inFeatures + "), got a scalar");
        }
        requireSize(input, input.dim() - 1, inFeatures, "features", "(*, " + inFeatures + ")");
        return F.linear(input, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null);
    }
}
