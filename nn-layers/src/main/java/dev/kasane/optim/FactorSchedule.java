package dev.kasane.optim;

/**
 * A schedule that multiplies every group's current learning rate by one factor per epoch, as PyTorch's chainable
 * {@code get_lr} of {@link StepLR}, {@link MultiStepLR}, {@link ExponentialLR} and {@link LinearLR} does; the
 * subclass gives the factor of the epoch.
 */
abstract class FactorSchedule extends LRScheduler {
    FactorSchedule(Optimizer<?> optimizer) {
        super(optimizer);
    }

    /** The factor for epoch {@link #lastEpoch}: 1 keeps the rates. */
    protected abstract double factor();

    @Override
    protected final double[] computeLr() {
        double[] lr = currentLrs();
        double f = factor();
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= f;
        }
        return lr;
    }
}
