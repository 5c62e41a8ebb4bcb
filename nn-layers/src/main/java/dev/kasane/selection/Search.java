package dev.kasane.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hyperparameter search scored by cross-validation: each configuration is trained and scored once per fold, and
 * the results rank the configurations by their mean score. {@link GridSearch} and {@link RandomSearch} choose the
 * configurations.
 */
public abstract class Search {
    private static final Logger LOG = LoggerFactory.getLogger(Search.class);

    private final SearchSpace space;
    private int parallelism = 1;

    Search(SearchSpace space) {
        this.space = Objects.requireNonNull(space, "Search: space");
    }

    /** The configurations to try, in order. */
    public abstract List<Config> configs();

    /** The space searched. */
    public SearchSpace space() {
        return space;
    }

    /**
     * Runs up to {@code n} trials at once (default 1). Worth it when one trial leaves cores idle (a small model whose
     * ops do not keep every core of the backend busy). Results do not depend on it as long as each trial draws its
     * random numbers from generators of its own (Layers initialise from the global generator, which parallel trials
     * share: re-initialise from {@code new Generator(trial.fold())} for results that do not depend on timing).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Search parallelism(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".parallelism: must be >= 1, got " + n);
        }
        this.parallelism = n;
        return this;
    }

    /**
     * Scores every configuration on every fold.
     *
     * @param folds the splits, e.g. {@code new KFold(5, true, 0).split(dataset)}
     * @throws IllegalArgumentException if there are no folds
     * @throws IllegalStateException if a trial throws (naming its configuration and fold); the other trials are then
     *                               cancelled
     */
    public <T> SearchResults run(List<Split<T>> folds, Objective<T> objective) {
        String name = getClass().getSimpleName();
        Objects.requireNonNull(objective, name + ".run: objective");
        if (folds.isEmpty()) {
            throw new IllegalArgumentException(name + ".run: needs at least one fold");
        }
        List<Config> configs = configs();
        int total = configs.size() * folds.size();
        double[][] scores = new double[configs.size()][folds.size()];
        List<Runnable> trials = new ArrayList<>(total);
        for (int c = 0; c < configs.size(); c++) {
            for (int f = 0; f < folds.size(); f++) {
                int ci = c;
                int fi = f;
                int number = trials.size() + 1;
                Trial<T> trial = new Trial<>(configs.get(c), f, folds.get(f));
                trials.add(() -> scores[ci][fi] = score(name, number, total, objective, trial));
            }
        }
        if (parallelism == 1) {
            trials.forEach(Runnable::run);
        } else {
            runInParallel(trials);
        }
        return new SearchResults(space, configs, scores);
    }

    private void runInParallel(List<Runnable> trials) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, trials.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable t : trials) {
                futures.add(pool.submit(t));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(getClass().getSimpleName() + ".run: interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> double score(String name, int number, int total, Objective<T> objective, Trial<T> trial) {
        long start = System.nanoTime();
        double s;
        try {
            s = objective.score(trial);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": the trial of " + trial.config() + " on fold " + trial.fold()
                    + " failed: " + e, e);
        }
        LOG.info("{} trial {}/{} ({}, fold {}): score {} in {} s", name, number, total, trial.config(), trial.fold(), s,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        return s;
    }
}
