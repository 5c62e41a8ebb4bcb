package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Group normalization of [N, C, ...] with per-channel {@code weight} (ones) and {@code bias} (zeros). */
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;

    /** eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /** Every option. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        Layers.divisible("GroupNorm", "num_channels", numChannels, "num_groups", numGroups);
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        Layers.registerAffine(this, affine, numChannels);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2) {
            throw error("expected input of shape (N, " + numChannels + ", *), got " + java.util.Arrays.toString(input.shape()));
        }
        requireSize(input, 1, numChannels, "channels", "(N, " + numChannels + ", *)");
        return F.groupNorm(input, numGroups, paramOrNull("weight"), paramOrNull("bias"), eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (paramOrNull("weight") != null);
    }
}
