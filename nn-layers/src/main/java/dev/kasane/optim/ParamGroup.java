package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group of parameters that share optimizer options (PyTorch's {@code param_groups} entries).
 *
 * <p>Options are numbers keyed by PyTorch's names: {@code lr}, {@code weight_decay}, {@code momentum},
 * {@code dampening}, {@code eps}, {@code alpha}, {@code rho}, {@code lr_decay}, {@code initial_accumulator_value},
 * Adam's betas as {@code beta1} and {@code beta2}, and flags ({@code nesterov}, {@code amsgrad}, {@code centered},
 * {@code maximize}) as 1 or 0. Options a group does not set are filled from the optimizer's defaults when the group
 * is added. LR schedulers change {@code lr} (and add {@code initial_lr}, ...) while training.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         new ParamGroup(backbone.parameters(), Map.of("lr", 0.01)),
 *         new ParamGroup(head.parameters())),
 *     SGD.options().lr(0.1).momentum(0.9));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final LinkedHashMap<String, Double> options = new LinkedHashMap<>();

    /** A group of {@code params} that takes every option from the optimizer's defaults. */
    public ParamGroup(Iterable<Tensor> params) {
        this(params, Map.of());
    }

    /**
     * A group of {@code params} with its own {@code options} (the rest from the optimizer's defaults).
     *
     * @throws IllegalArgumentException if a parameter, option name or value is null, or a value is NaN
     */
    public ParamGroup(Iterable<Tensor> params, Map<String, ? extends Number> options) {
        Objects.requireNonNull(params, "ParamGroup: params");
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : params) {
            if (t == null) {
                throw new IllegalArgumentException("ParamGroup: parameter " + list.size() + " is null");
            }
            list.add(t);
        }
        this.params = Collections.unmodifiableList(list);
        for (Map.Entry<String, ? extends Number> e : options.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("ParamGroup: option " + e.getKey() + "=" + e.getValue() + " is null");
            }
            set(e.getKey(), e.getValue().doubleValue());
        }
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The options (unmodifiable view). */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** True if option {@code key} is set. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /**
     * The value of option {@code key}.
     *
     * @throws IllegalArgumentException if it is not set
     */
    public double get(String key) {
        Double v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("ParamGroup: no option '" + key + "' (options: " + options.keySet() + ")");
        }
        return v;
    }

    /** A flag option: true unless 0. */
    public boolean flag(String key) {
        return get(key) != 0;
    }

    /**
     * Sets option {@code key}; returns this.
     *
     * @throws IllegalArgumentException if {@code value} is NaN
     */
    public ParamGroup set(String key, double value) {
        Objects.requireNonNull(key, "ParamGroup.set: key");
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("ParamGroup.set: option '" + key + "' is NaN");
        }
        options.put(key, value);
        return this;
    }

    /** The learning rate, option {@code lr}. */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate; returns this. */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /** The options and the number of parameters. */
    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
