package dev.kasane.vision.transforms;

import dev.kasane.autograd.Tensor;
import java.util.Objects;

/**
 * A transformation of one image array into another, as applied by a dataset to each sample (torchvision's
 * transforms). Implementations must allow concurrent calls (a {@code DataLoader} with workers calls them from several
 * threads); the random ones draw from a thread-safe {@link dev.kasane.tensor.Generator}.
 *
 * <p>{@link Transforms} holds the factories; {@link #andThen} and {@link Transforms#compose} chain them.
 */
@FunctionalInterface
public interface Transform {
    /**
     * Transforms {@code image}, which is never modified.
     *
     * @throws IllegalArgumentException if the image's shape or dtype does not suit this transform
     */
    Tensor apply(Tensor image);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        Objects.requireNonNull(next, "Transform.andThen: next");
        return x -> next.apply(apply(x));
    }

    /** The transform that returns its input unchanged. */
    static Transform identity() {
        return x -> x;
    }
}
