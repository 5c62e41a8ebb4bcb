package dev.kasane.examples.superres;

/**
 * A training-time budget ({@code --minutes}): training stops once the budget is spent, and the learning rate follows
 * a cosine decay from its initial value to 0 over the budget's seconds, by the clock instead of by the step count (the
 * number of steps that fit is not known in advance). Elapsed times are training seconds, summed over resumed runs.
 */
final class TimeBudget {
    private final double seconds;

    /**
     * @param seconds the budget, {@code > 0}
     * @throws IllegalArgumentException if it is not
     */
    TimeBudget(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("superres: the training-time budget must be > 0 seconds, got "
                    + seconds);
        }
        this.seconds = seconds;
    }

    /** Whether {@code elapsed} seconds of training use up the budget. */
    boolean spent(double elapsed) {
        return elapsed >= seconds;
    }

    /** The learning rate after {@code elapsed} seconds: {@code initial (1 + cos(pi elapsed / budget)) / 2}, 0 after. */
    double lr(double initial, double elapsed) {
        return initial * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, elapsed / seconds)));
    }

    /**
     * The number of epochs the run will likely have (for the progress line): {@code done} epochs so far, then as many
     * as fit in the remaining budget at {@code epochSeconds} each, at least one more (one
     * more while {@code epochSeconds} is unknown: NaN).
     */
    int plannedEpochs(int done, double elapsed, double epochSeconds) {
        if (!(epochSeconds > 0)) {
            return done + 1;
        }
        return done + (int) Math.max(1, Math.ceil(Math.max(0, seconds - elapsed) / epochSeconds));
    }
}
