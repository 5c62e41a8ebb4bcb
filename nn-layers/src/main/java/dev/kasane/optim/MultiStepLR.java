package dev.kasane.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch, PyTorch's {@code MultiStepLR} (a milestone
 * listed twice multiplies by {@code gamma^2}).
 */
public final class MultiStepLR extends FactorSchedule {
    private final Map<Integer, Integer> milestones = new HashMap<>();
    private final double gamma;

    /**
     * @param milestones epochs at which to decay
     * @param gamma multiplicative factor
     */
    public MultiStepLR(Optimizer<?> optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int m : milestones) {
            this.milestones.merge(m, 1, Integer::sum);
        }
        this.gamma = gamma;
        initialStep();
    }

    /** With PyTorch's default gamma of 0.1. */
    public MultiStepLR(Optimizer<?> optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    /** {@code gamma^n} at an epoch listed {@code n} times as a milestone, else 1. */
    @Override
    protected double factor() {
        Integer n = milestones.get(lastEpoch);
        return n == null ? 1 : Math.pow(gamma, n);
    }
}
