package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.Reduction;
import java.util.Objects;

/**
 * A loss criterion, as PyTorch's {@code nn.*Loss} classes: a configured function of (input, target) with a
 * {@link Reduction}. Losses hold no parameters, so they are not modules.
 */
public abstract class Loss {
    private final Reduction reduction;

    /** With the given reduction. */
    protected Loss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are reduced. */
    public Reduction reduction() {
        return reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(reduction=" + reduction.name().toLowerCase() + ")";
    }
}
