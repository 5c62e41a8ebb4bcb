package dev.kasane.selection;

/** Whether a lower or a higher metric is better, for {@link EarlyStopping} and {@link ModelCheckpoint}. */
public enum Mode {
    /** Lower is better (a loss). */
    MIN,
    /** Higher is better (an accuracy). */
    MAX;

    /**
     * Whether {@code value} beats {@code best} by more than {@code minDelta}; a NaN value never does, and any other
     * value beats a NaN best (none yet).
     */
    boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return this == MIN ? value < best - minDelta : value > best + minDelta;
    }
}
