package dev.kasane.selection;

/**
 * Trains a model for a {@link Trial} on its training set and scores it on its validation set; higher is better (as
 * scikit-learn's scorers: return {@code -loss} for a loss).
 *
 * @param <T> the sample type
 */
@FunctionalInterface
public interface Objective<T> {
    /** The trial's validation score. */
    double score(Trial<T> trial) throws Exception;
}
