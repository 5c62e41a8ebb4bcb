package dev.kasane.selection;

import java.util.List;

/**
 * Tries every combination of the parameters' choices (scikit-learn's {@code GridSearchCV}), each scored by
 * cross-validation.
 *
 * <pre>{@code
 * Param<Double> lr = Param.choice("lr", 1e-3, 3e-3);
 * Param<Integer> batch = Param.choice("batch_size", 32, 64);
 * SearchResults results = new GridSearch(SearchSpace.of(lr, batch))
 *         .run(new KFold(5, true, 0).split(train), trial -> trainAndScore(trial));
 * System.out.println(results.toMarkdown());
 * }</pre>
 */
public final class GridSearch extends Search {
    /**
     * A search over the grid of {@code space}.
     *
     * @throws IllegalArgumentException if a parameter of the space is a range
     */
    public GridSearch(SearchSpace space) {
        super(space);
        space.grid();
    }

    @Override
    public List<Config> configs() {
        return space().grid();
    }
}
