package dev.kasane.selection;

import dev.kasane.data.Subset;
import java.util.Objects;

/**
 * A training set and a validation set drawn from one dataset, without overlap: one fold of {@link KFold} or
 * {@link StratifiedKFold}, or a {@link Splits#trainValidation} split.
 *
 * @param train the samples to train on
 * @param validation the held-out samples to score on
 * @param <T> the sample type
 */
public record Split<T>(Subset<T> train, Subset<T> validation) {
    /** A split of two subsets. */
    public Split {
        Objects.requireNonNull(train, "Split: train");
        Objects.requireNonNull(validation, "Split: validation");
    }
}
