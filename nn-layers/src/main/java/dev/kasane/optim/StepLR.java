package dev.kasane.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, PyTorch's {@code StepLR}:
 * {@code lr = initial_lr * gamma^floor(epoch / stepSize)}.
 */
public final class StepLR extends FactorSchedule {
    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize epochs between decays (&gt;= 1)
     * @param gamma multiplicative factor
     * @throws IllegalArgumentException if {@code stepSize < 1}
     */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        super(optimizer);
        this.stepSize = requirePositive("stepSize", stepSize);
        this.gamma = gamma;
        initialStep();
    }

    /** With PyTorch's default gamma of 0.1. */
    public StepLR(Optimizer<?> optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /** {@code gamma} at every {@code stepSize}-th epoch, else 1. */
    @Override
    protected double factor() {
        return lastEpoch == 0 || lastEpoch % stepSize != 0 ? 1 : gamma;
    }
}
