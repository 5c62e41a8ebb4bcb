package dev.kasane.selection;

/**
 * One training run of a search: a configuration on one fold. A {@link Search} runs it with its thread's default
 * generator seeded with {@link #fold()}, so that every configuration sees the same draws on a fold (calling
 * {@code Generator.seedGlobal} inside the trial reseeds that generator, not the process-wide one).
 *
 * @param config the hyperparameters
 * @param fold the fold's number, from 0
 * @param split the fold's training and validation sets
 * @param <T> the sample type
 */
public record Trial<T>(Config config, int fold, Split<T> split) {
}
