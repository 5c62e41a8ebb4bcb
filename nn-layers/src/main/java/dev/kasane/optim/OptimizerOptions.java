package dev.kasane.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the optimizers' fluent option builders ({@code Adam.options().lr(1e-3).weightDecay(0.01)}): a map from
 * PyTorch's option names to values, pre-filled with PyTorch's defaults.
 *
 * @param <O> the concrete options type, returned by the setters
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    private final LinkedHashMap<String, Double> values = new LinkedHashMap<>();

    /** Options with no values; subclasses set their defaults. */
    protected OptimizerOptions() {
    }

    /** Sets option {@code key}; returns this. */
    @SuppressWarnings("unchecked")
    public final O set(String key, double value) {
        values.put(key, value);
        return (O) this;
    }

    /** Sets a flag option (stored as 1 or 0); returns this. */
    protected final O flag(String key, boolean value) {
        return set(key, value ? 1 : 0);
    }

    /** Sets the learning rate. */
    public final O lr(double lr) {
        return set("lr", lr);
    }

    /** Sets the L2 penalty added to the gradient ({@code weight_decay}; decoupled for AdamW). */
    public final O weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Whether to maximize the objective instead of minimizing it. */
    public final O maximize(boolean maximize) {
        return flag("maximize", maximize);
    }

    /** The options as a map (unmodifiable). */
    public final Map<String, Double> toMap() {
        return Collections.unmodifiableMap(values);
    }
}
