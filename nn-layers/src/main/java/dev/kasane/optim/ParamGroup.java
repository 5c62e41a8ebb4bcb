package dev.kasane.optim;

import dev.kasane.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

/**
 * A group of parameters that share optimizer options (PyTorch's {@code param_groups} entries).
 *
 * <p>A group takes the optimizer's default options, changed by its own typed overrides when it is added to the
 * optimizer. LR schedulers change its learning rate through {@link #lr(double)} while training and record the rate
 * they started from as {@link #initialLr()} (PyTorch's {@code initial_lr}).
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         new ParamGroup<>(backbone.parameters(), o -> o.lr(0.01)),
 *         new ParamGroup<>(head.parameters())),
 *     SGD.options().lr(0.1).momentum(0.9));
 * }</pre>
 *
 * @param <O> the optimizer's options type
 */
public final class ParamGroup<O extends OptimizerOptions<O>> {
    private final List<Tensor> params;
    private final UnaryOperator<O> overrides;
    private Optimizer<O> owner;
    private O options;
    private double initialLr = Double.NaN;

    /** A group of {@code params} that takes every option from the optimizer's defaults. */
    public ParamGroup(Iterable<Tensor> params) {
        this(params, UnaryOperator.identity());
    }

    /**
     * A group of {@code params} whose options are the optimizer's defaults changed by {@code overrides}
     * ({@code o -> o.lr(0.01)}).
     *
     * @throws IllegalArgumentException if a parameter is null
     */
    public ParamGroup(Iterable<Tensor> params, UnaryOperator<O> overrides) {
        Objects.requireNonNull(params, "ParamGroup: params");
        this.overrides = Objects.requireNonNull(overrides, "ParamGroup: overrides");
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : params) {
            if (t == null) {
                throw new IllegalArgumentException("ParamGroup: parameter " + list.size() + " is null");
            }
            list.add(t);
        }
        this.params = Collections.unmodifiableList(list);
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /**
     * The group's options.
     *
     * @throws IllegalStateException if the group has not been added to an optimizer yet
     */
    public O options() {
        if (options == null) {
            throw new IllegalStateException("ParamGroup: no options before the group is added to an optimizer");
        }
        return options;
    }

    /**
     * Replaces the group's options; returns this.
     *
     * @throws IllegalStateException if the group has not been added to an optimizer yet
     * @throws IllegalArgumentException naming the optimizer and option if one is out of range
     */
    public ParamGroup<O> options(O options) {
        if (owner == null) {
            throw new IllegalStateException("ParamGroup: options can be set only after the group is added to an optimizer");
        }
        owner.validate(options);
        this.options = options;
        return this;
    }

    /** The learning rate. */
    public double lr() {
        return options().lr();
    }

    /**
     * Sets the learning rate; returns this.
     *
     * @throws IllegalArgumentException if {@code lr} is negative or NaN
     */
    public ParamGroup<O> lr(double lr) {
        return options(options().lr(lr));
    }

    /** The learning rate an LR scheduler started from ({@code initial_lr}), empty if no scheduler has set it. */
    public OptionalDouble initialLr() {
        return Double.isNaN(initialLr) ? OptionalDouble.empty() : OptionalDouble.of(initialLr);
    }

    /**
     * Sets the learning rate a scheduler starts from; returns this.
     *
     * @throws IllegalArgumentException if {@code initialLr} is negative or NaN
     */
    public ParamGroup<O> initialLr(double initialLr) {
        if (!(initialLr >= 0)) {
            throw new IllegalArgumentException("ParamGroup.initialLr: must be >= 0, got " + initialLr);
        }
        this.initialLr = initialLr;
        return this;
    }

    /** Called once by {@code owner} when it adds this group: applies the overrides to its defaults and validates. */
    void adopt(Optimizer<O> owner, O defaults) {
        if (this.owner != null) {
            throw new IllegalArgumentException(owner.name() + ": the parameter group already belongs to an optimizer");
        }
        O o = Objects.requireNonNull(overrides.apply(defaults), owner.name() + ": group overrides returned null");
        owner.validate(o);
        this.owner = owner;
        this.options = o;
    }

    /** The options and the number of parameters. */
    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + (initialLr().isPresent() ? ", initial_lr "
                + initialLr : "") + ")";
    }
}
