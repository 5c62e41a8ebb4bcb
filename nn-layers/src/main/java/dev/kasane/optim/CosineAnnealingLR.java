package dev.kasane.optim;

/**
 * Cosine annealing from the initial learning rate down to {@code etaMin} over {@code tMax} epochs (and back up over
 * the next {@code tMax}, and so on), PyTorch's {@code CosineAnnealingLR}, computed with PyTorch's recursive formula:
 * {@code lr_t = etaMin + (lr_{t-1} - etaMin) * (1 + cos(pi t / tMax)) / (1 + cos(pi (t - 1) / tMax))}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax half period in epochs (&gt;= 1)
     * @param etaMin the minimum learning rate
     * @throws IllegalArgumentException if {@code tMax < 1}
     */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        super(optimizer);
        this.tMax = requirePositive("tMax", tMax);
        this.etaMin = etaMin;
        initialStep();
    }

    /** Annealing down to 0. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            return lr;
        }
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lr.length; i++) {
                lr[i] = lr[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                    * (lr[i] - etaMin) + etaMin;
        }
        return lr;
    }
}
