package dev.kasane.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reduces the learning rate by {@code factor} when a metric has stopped improving for more than {@code patience}
 * epochs, PyTorch's {@code ReduceLROnPlateau}. Call {@link #step(double)} with the validation metric once per epoch.
 *
 * <p>"Improving" is, for {@link Mode#MIN} with {@link ThresholdMode#REL}, {@code metric < best * (1 - threshold)};
 * with {@link ThresholdMode#ABS}, {@code metric < best - threshold} (mirrored for {@link Mode#MAX}). After a
 * reduction, {@code cooldown} epochs pass before bad epochs are counted again. A group's rate never goes below its
 * {@code minLr}, and changes smaller than {@code eps} are skipped.
 */
public final class ReduceLROnPlateau {
    /** Whether lower or higher metrics are better. */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** How {@code threshold} is applied. */
    public enum ThresholdMode {
        /** Relative to the best value. */
        REL,
        /** Absolute. */
        ABS
    }

    private final Optimizer<?> optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** PyTorch's defaults: mode MIN, factor 0.1, patience 10, threshold 1e-4 REL, no cooldown, min lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer<?> optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    /**
     * @param factor multiplier of the learning rate, in [0, 1)
     * @param patience number of epochs without improvement tolerated
     * @param threshold the least change counted as an improvement
     * @param cooldown epochs to wait after a reduction
     * @param minLr the lowest learning rate of every group
     * @param eps the smallest change of learning rate applied
     * @throws IllegalArgumentException if {@code factor} is not in [0, 1) or {@code patience}/{@code cooldown} is negative
     */
    public ReduceLROnPlateau(Optimizer<?> optimizer, Mode mode, double factor, int patience, double threshold,
            ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        this.optimizer = Objects.requireNonNull(optimizer, "ReduceLROnPlateau: optimizer");
        this.mode = Objects.requireNonNull(mode, "ReduceLROnPlateau: mode");
        this.thresholdMode = Objects.requireNonNull(thresholdMode, "ReduceLROnPlateau: thresholdMode");
        if (!(factor >= 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0 (and >= 0), got " + factor);
        }
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got " + patience
                    + " and " + cooldown);
        }
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLrs = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(minLrs, minLr);
        this.eps = eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records the epoch's {@code metric} and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double next = Math.max(old * factor, minLrs[i]);
                if (old - next > eps) {
                    groups.get(i).lr(next);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    /** The best metric seen so far. */
    public double best() {
        return best;
    }

    /** Number of epochs stepped. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The state ({@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_epoch}) as strings. */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("best", Double.toString(best));
        m.put("num_bad_epochs", Integer.toString(numBadEpochs));
        m.put("cooldown_counter", Integer.toString(cooldownCounter));
        m.put("last_epoch", Integer.toString(lastEpoch));
        return m;
    }

    /**
     * Restores a {@link #stateDict()}.
     *
     * @throws IllegalArgumentException if a key is missing or malformed
     */
    public void loadStateDict(Map<String, String> state) {
        String op = "ReduceLROnPlateau.loadStateDict";
        try {
            double b = Double.parseDouble(LRScheduler.require(state, "best", op));
            int bad = Integer.parseInt(LRScheduler.require(state, "num_bad_epochs", op));
            int cd = Integer.parseInt(LRScheduler.require(state, "cooldown_counter", op));
            int le = Integer.parseInt(LRScheduler.require(state, "last_epoch", op));
            best = b;
            numBadEpochs = bad;
            cooldownCounter = cd;
            lastEpoch = le;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": malformed state " + state, e);
        }
    }
}
