package dev.kasane.optim;

/** Multiplies the learning rate by {@code gamma} every epoch, PyTorch's {@code ExponentialLR}. */
public final class ExponentialLR extends FactorSchedule {
    private final double gamma;

    /** @param gamma multiplicative factor per epoch */
    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    /** {@code gamma} after epoch 0. */
    @Override
    protected double factor() {
        return lastEpoch == 0 ? 1 : gamma;
    }
}
