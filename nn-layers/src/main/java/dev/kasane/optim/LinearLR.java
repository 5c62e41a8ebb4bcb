package dev.kasane.optim;

/**
 * Scales the learning rate by a factor that moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs and then stays there, PyTorch's {@code LinearLR} (a linear warm-up with the defaults).
 */
public final class LinearLR extends FactorSchedule {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /**
     * @param startFactor factor at epoch 0, in (0, 1]
     * @param endFactor factor from epoch {@code totalIters} on, in [0, 1]
     * @param totalIters epochs of the ramp (&gt;= 1)
     * @throws IllegalArgumentException if a factor or {@code totalIters} is out of range
     */
    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1] and endFactor in [0, 1], got "
                    + startFactor + " and " + endFactor);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = requirePositive("totalIters", totalIters);
        initialStep();
    }

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer<?> optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    /**
     * {@code startFactor} at epoch 0, then the ratio of consecutive factors of the ramp (PyTorch's chainable form), 1
     * after it.
     */
    @Override
    protected double factor() {
        if (lastEpoch == 0) {
            return startFactor;
        }
        if (lastEpoch > totalIters) {
            return 1;
        }
        return 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
    }
}
