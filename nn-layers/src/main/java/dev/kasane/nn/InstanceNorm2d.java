package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * Instance normalization of [N, C, H, W]: statistics per sample and channel. As PyTorch's defaults, not affine
 * and without running statistics (tracking running statistics is not supported).
 */
public class InstanceNorm2d extends Module {
    private final int numFeatures;
    private final double eps;

    /** eps 1e-5, not affine. */
    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, false);
    }

    /** With optional per-channel {@code weight} (ones) and {@code bias} (zeros). */
    public InstanceNorm2d(int numFeatures, double eps, boolean affine) {
        this.numFeatures = Layers.positive("InstanceNorm2d", "num_features", numFeatures);
        this.eps = eps;
        Layers.registerAffine(this, affine, numFeatures);
    }

    @Override
    public Tensor forward(Tensor input) {
        String layout = "(N, " + numFeatures + ", H, W)";
        requireRank(input, layout, 4);
        requireSize(input, 1, numFeatures, "channels", layout);
        return F.instanceNorm(input, paramOrNull("weight"), paramOrNull("bias"), eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", affine=" + (paramOrNull("weight") != null);
    }
}
