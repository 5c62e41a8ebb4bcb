package dev.kasane.selection;

/**
 * One training run of a search: a configuration on one fold. Seed the run's random draws from {@link #fold()} (for
 * example {@code Generator.seedGlobal(trial.fold())}) so that every configuration sees the same draws on a fold.
 *
 * @param config the hyperparameters
 * @param fold the fold's number, from 0
 * @param split the fold's training and validation sets
 * @param <T> the sample type
 */
public record Trial<T>(Config config, int fold, Split<T> split) {
}
