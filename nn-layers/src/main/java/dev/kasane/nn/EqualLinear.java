package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * A linear layer with StyleGAN's equalized learning rate: {@code weight} [out, in] is drawn N(0, 1/lrMul^2) and used
 * as {@code weight * lrMul / sqrt(in)}, {@code bias} [out] (filled with {@code biasInit}) as {@code bias * lrMul}. The
 * scale applied at run time, rather than folded into the initialisation, gives every weight the same effective
 * learning rate under Adam; {@code lrMul} (0.01 in StyleGAN's mapping network) slows the whole layer.
 */
public class EqualLinear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final double lrMul;

    /** With a zero bias and lrMul 1. */
    public EqualLinear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, 0, 1);
    }

    /**
     * Every option.
     *
     * @param bias whether there is a bias
     * @param biasInit the bias's initial value (1 for StyleGAN2's style affines, so styles start at 1)
     * @param lrMul the learning-rate multiplier (positive)
     */
    public EqualLinear(int inFeatures, int outFeatures, boolean bias, double biasInit, double lrMul) {
        this.inFeatures = Layers.positive("EqualLinear", "in_features", inFeatures);
        this.outFeatures = Layers.positive("EqualLinear", "out_features", outFeatures);
        if (!(lrMul > 0)) {
            throw new IllegalArgumentException("EqualLinear: lr_mul must be > 0, got " + lrMul);
        }
        this.lrMul = lrMul;
        Init.normal(registerParameter("weight", Tensor.zeros(Layers.floatType(), Layers.device(), outFeatures, inFeatures)),
                0, 1 / lrMul);
        if (bias) {
            registerParameter("bias", Tensor.full(biasInit, Layers.floatType(), Layers.device(), outFeatures));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 1) {
            throw error("expected input of shape (*, " + inFeatures + "), got a scalar");
        }
        requireSize(input, input.dim() - 1, inFeatures, "features", "(*, " + inFeatures + ")");
        Tensor bias = paramOrNull("bias");
        return F.linear(input, param("weight").mul(lrMul / Math.sqrt(inFeatures)), bias == null ? null : bias.mul(lrMul));
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (paramOrNull("bias") != null)
                + ", lr_mul=" + lrMul;
    }
}
