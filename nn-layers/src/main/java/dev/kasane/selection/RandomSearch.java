package dev.kasane.selection;

import java.util.List;

/**
 * Tries configurations drawn at random from the space (scikit-learn's {@code RandomizedSearchCV}; Bergstra and
 * Bengio 2012), each scored by cross-validation. Ranges ({@link Param#uniform}, {@link Param#logUniform},
 * {@link Param#intRange}) and choices mix freely.
 */
public final class RandomSearch extends Search {
    private final int trials;
    private final long seed;

    /**
     * A search over {@code trials} configurations drawn from {@code space} with {@code seed}.
     *
     * @throws IllegalArgumentException if {@code trials < 1}
     */
    public RandomSearch(SearchSpace space, int trials, long seed) {
        super(space);
        space.sample(trials, seed);
        this.trials = trials;
        this.seed = seed;
    }

    @Override
    public List<Config> configs() {
        return space().sample(trials, seed);
    }
}
