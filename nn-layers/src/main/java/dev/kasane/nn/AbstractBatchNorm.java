package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.Arrays;

/**
 * Batch normalization over the channel dim 1, as PyTorch's {@code _BatchNorm}: parameters {@code weight} (ones) and
 * {@code bias} (zeros) when affine; buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} (I64 scalar) when tracking running statistics. Training uses batch statistics and
 * updates the running ones with {@code momentum} (or a cumulative average when momentum is NaN, PyTorch's
 * {@code momentum=None}); evaluation uses the running statistics.
 */
public abstract class AbstractBatchNorm extends Module {
    private final String layout;
    private final int[] ranks;
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    /**
     * Registers the parameters and buffers.
     *
     * @param layout the accepted input layout for errors, e.g. {@code (N, C, H, W)}
     * @param ranks the accepted input ranks
     */
    protected AbstractBatchNorm(String layout, int[] ranks, int numFeatures, double eps, double momentum, boolean affine,
            boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        this.layout = layout.replace("C", Integer.toString(numFeatures));
        this.ranks = ranks.clone();
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        Layers.registerAffine(this, affine, numFeatures);
        Layers.registerRunningStats(this, trackRunningStats, numFeatures);
    }

    /** The number of channels. */
    public int numFeatures() {
        return numFeatures;
    }

    /** The constant added to the variance. */
    public double eps() {
        return eps;
    }

    /** The running statistics' momentum (NaN for a cumulative average). */
    public double momentum() {
        return momentum;
    }

    /** Resets the running statistics to mean 0, variance 1 and no batches. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            buffer("running_mean").fillInPlace(0);
            buffer("running_var").fillInPlace(1);
            buffer("num_batches_tracked").fillInPlace(0);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, layout, ranks);
        requireSize(input, 1, numFeatures, "channels", layout);
        boolean useBatchStats = isTraining() || !trackRunningStats;
        double m = momentum;
        boolean update = isTraining() && trackRunningStats;
        if (update) {
            Tensor n = buffer("num_batches_tracked");
            n.addInPlace(1);
            if (Double.isNaN(momentum)) {
                m = 1.0 / n.itemLong();
            }
        }
        Tensor runningMean = trackRunningStats ? buffer("running_mean") : null;
        Tensor runningVar = trackRunningStats ? buffer("running_var") : null;
        return F.batchNorm(input, runningMean, runningVar, paramOrNull("weight"), paramOrNull("bias"), useBatchStats, m, eps);
    }

    /**
     * {@code forward(input)}, then plus {@code residual} (or null), then a ReLU when {@code relu}, written over
     * {@code input} ({@link F#batchNormInPlace}) when this is inference: eval mode with running statistics, nothing
     * recording a graph, statistics, parameters and residual of input's dtype; else null, and nothing is computed. For
     * {@link Intermediates#thenNorm}.
     */
    Tensor forwardInPlace(Tensor input, Tensor residual, boolean relu) {
        requireRank(input, layout, ranks);
        requireSize(input, 1, numFeatures, "channels", layout);
        if (isTraining() || !trackRunningStats) {
            return null;
        }
        Tensor weight = paramOrNull("weight");
        Tensor bias = paramOrNull("bias");
        Tensor runningMean = buffer("running_mean");
        Tensor runningVar = buffer("running_var");
        boolean graph = Autograd.isGradEnabled() && (input.requiresGrad() || weight != null && weight.requiresGrad()
                || bias != null && bias.requiresGrad() || residual != null && residual.requiresGrad());
        DType dt = input.dtype();
        if (graph || runningMean.dtype() != dt || runningVar.dtype() != dt || weight != null && weight.dtype() != dt
                || bias != null && bias.dtype() != dt || residual != null && (residual.dtype() != dt
                || !Arrays.equals(residual.shape(), input.shape()))) {
            return null;
        }
        return F.batchNormInPlace(input, runningMean, runningVar, weight, bias, eps, residual, relu);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + (Double.isNaN(momentum) ? "None" : momentum) + ", affine=" + affine
                + ", track_running_stats=" + trackRunningStats;
    }
}
