package dev.kasane.nn;

/** Batch normalization of [N, C, H, W] (see {@link AbstractBatchNorm}). */
public class BatchNorm2d extends AbstractBatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics (PyTorch's defaults). */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** Every option; momentum NaN means a cumulative moving average (PyTorch's {@code momentum=None}). */
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super("(N, C, H, W)", new int[] {4}, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
