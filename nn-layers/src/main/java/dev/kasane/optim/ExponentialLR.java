package dev.kasane.optim;

/** Multiplies the learning rate by {@code gamma} every epoch, PyTorch's {@code ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** @param gamma multiplicative factor per epoch */
    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= gamma;
        }
        return lr;
    }
}
