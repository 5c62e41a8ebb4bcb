package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * Instance normalization of [N, C, H, W]: statistics per sample and channel, as PyTorch's {@code InstanceNorm2d}.
 * By default (PyTorch's too) not affine and without running statistics. When affine: parameters {@code weight}
 * (ones) and {@code bias} (zeros). When tracking running statistics: buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked} (left at 0, as PyTorch leaves it); training then still
 * normalizes with each sample's statistics and moves the running ones by {@code momentum} towards their batch
 * mean (unbiased variance), and evaluation normalizes with the running statistics.
 */
public class InstanceNorm2d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean trackRunningStats;

    /** eps 1e-5, not affine, no running statistics. */
    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, false);
    }

    /** With optional per-channel {@code weight} (ones) and {@code bias} (zeros); no running statistics. */
    public InstanceNorm2d(int numFeatures, double eps, boolean affine) {
        this(numFeatures, eps, 0.1, affine, false);
    }

    /**
     * Every option, as PyTorch's constructor.
     *
     * @param momentum the running statistics' update factor (PyTorch's default 0.1)
     * @param trackRunningStats whether to keep running statistics (used in evaluation)
     */
    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = Layers.positive("InstanceNorm2d", "num_features", numFeatures);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("InstanceNorm2d: momentum must be in [0, 1], got " + momentum);
        }
        this.eps = eps;
        this.momentum = momentum;
        this.trackRunningStats = trackRunningStats;
        Layers.registerAffine(this, affine, numFeatures);
        Layers.registerRunningStats(this, trackRunningStats, numFeatures);
    }

    @Override
    public Tensor forward(Tensor input) {
        String layout = "(N, " + numFeatures + ", H, W)";
        requireRank(input, layout, 4);
        requireSize(input, 1, numFeatures, "channels", layout);
        Tensor runningMean = trackRunningStats ? buffer("running_mean") : null;
        Tensor runningVar = trackRunningStats ? buffer("running_var") : null;
        return F.instanceNorm(input, runningMean, runningVar, paramOrNull("weight"), paramOrNull("bias"),
                isTraining() || !trackRunningStats, momentum, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (paramOrNull("weight") != null)
                + ", track_running_stats=" + trackRunningStats;
    }
}
