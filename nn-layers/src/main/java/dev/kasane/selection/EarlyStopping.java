package dev.kasane.selection;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs (Keras' {@code EarlyStopping}):
 * call {@link #step} once per epoch and leave the loop when it returns true. With {@link #restoreBestWeights} it keeps
 * a copy of the model's state at the best epoch and loads it back when it stops.
 *
 * <pre>{@code
 * var stopper = new EarlyStopping(Mode.MAX, 3, 1e-3).restoreBestWeights(model);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     trainOneEpoch();
 *     if (stopper.step(validationAccuracy())) {
 *         break;                                  // the model now holds the best epoch's weights
 *     }
 * }
 * }</pre>
 */
public final class EarlyStopping {
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private Module model;
    private Map<String, Tensor> bestState;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int epoch = -1;
    private int bad;
    private boolean stopped;

    /**
     * @param mode whether the metric is to be minimised or maximised
     * @param patience stop at the {@code patience}-th epoch in a row without improvement (0 acts as 1, as in Keras
     *                 and Lightning)
     * @param minDelta how much the metric must beat the best so far to count as an improvement (>= 0)
     * @throws IllegalArgumentException if {@code patience < 0} or {@code minDelta} is negative or not finite
     */
    public EarlyStopping(Mode mode, int patience, double minDelta) {
        this.mode = Objects.requireNonNull(mode, "EarlyStopping: mode");
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be finite and >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /**
     * Keeps a copy of {@code model}'s state dict at each improvement and loads it back into the model when
     * {@link #step} says stop (or on {@link #restoreBest()}). Returns this.
     */
    public EarlyStopping restoreBestWeights(Module model) {
        this.model = Objects.requireNonNull(model, "EarlyStopping.restoreBestWeights: model");
        return this;
    }

    /**
     * Records one epoch's metric; a NaN never improves.
     *
     * @return true when training should stop: {@code patience} epochs in a row without improvement (and every call
     *     after that)
     */
    public boolean step(double metric) {
        epoch++;
        if (stopped) {
            return true;
        }
        if (mode.improves(metric, best, minDelta)) {
            best = metric;
            bestEpoch = epoch;
            bad = 0;
            if (model != null) {
                bestState = snapshot(model);
            }
        } else if (++bad >= patience) {
            stopped = true;
            restoreBest();
        }
        return stopped;
    }

    /** Loads the best epoch's weights into the model given to {@link #restoreBestWeights}, if any were kept. */
    public void restoreBest() {
        if (model != null && bestState != null) {
            model.loadStateDict(bestState, true);
        }
    }

    /** The best metric so far (NaN before the first finite one). */
    public double best() {
        return best;
    }

    /** The epoch of the best metric, counting {@link #step} calls from 0 (-1 before any). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Whether {@link #step} has said stop. */
    public boolean stopped() {
        return stopped;
    }

    private static Map<String, Tensor> snapshot(Module model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
