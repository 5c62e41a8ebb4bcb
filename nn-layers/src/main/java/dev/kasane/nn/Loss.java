package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.Reduction;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * A loss criterion, as PyTorch's {@code nn.*Loss} classes: a configured function of (input, target) with a
 * {@link Reduction}. Losses hold no parameters, so they are not modules. A subclass is its constructors, binding its
 * options to a function of {@link dev.kasane.nn.functional.F}:
 * {@code super(reduction, (x, y) -> F.huberLoss(x, y, reduction, delta))}.
 */
public abstract class Loss {
    private final Reduction reduction;
    private final BinaryOperator<Tensor> function;

    /**
     * @param reduction how per-element losses are reduced
     * @param function the loss of (input, target), with the reduction and the other options bound
     */
    protected Loss(Reduction reduction, BinaryOperator<Tensor> function) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
        this.function = Objects.requireNonNull(function, "function");
    }

    /** How per-element losses are reduced. */
    public Reduction reduction() {
        return reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public Tensor forward(Tensor input, Tensor target) {
        return function.apply(input, target);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(reduction=" + reduction.name().toLowerCase() + ")";
    }
}
