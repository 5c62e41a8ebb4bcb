package dev.kasane.selection;

import dev.kasane.tensor.Generator;
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
 *
 * <p>Each trial runs with a {@link Generator} of its own, seeded with its fold's number, as its thread's default
 * ({@link Generator#use}): layers built, dropout drawn and {@code Generator.seedGlobal} called inside a trial use it, so
 * every configuration sees the same draws on a fold and the results are the same for every {@link #parallelism}.
 */
public abstract class Search {
    private static final Logger LOG = LoggerFactory.getLogger(Search.class);
    /** The CPU backend's system property with its number of threads per op. */
    static final String CPU_THREADS_PROPERTY = "kasane.cpu.threads";

    private final SearchSpace space;
    private int parallelism = defaultParallelism();

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
     * Trials run at once by default: the cores left over when each trial's ops use the CPU backend's threads,
     * {@code availableProcessors / kasane.cpu.threads} (at least 1). The backend's default is one thread per core, so
     * trials run one at a time unless {@code -Dkasane.cpu.threads=N} leaves cores to spare (e.g. 1 thread per op and
     * one trial per core); trials then never ask for more threads than there are cores.
     *
     * @throws IllegalArgumentException if {@code kasane.cpu.threads} is set and is not a number
     */
    public static int defaultParallelism() {
        return defaultParallelism(Runtime.getRuntime().availableProcessors(), System.getProperty(CPU_THREADS_PROPERTY));
    }

    /** {@link #defaultParallelism()} on {@code cores} cores with {@code kasane.cpu.threads} = {@code threads} (or null). */
    static int defaultParallelism(int cores, String threads) {
        int perOp;
        try {
            perOp = threads == null || threads.isBlank() ? cores : Math.max(1, Integer.parseInt(threads.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Search.defaultParallelism: bad value '" + threads + "' for system "
                    + "property " + CPU_THREADS_PROPERTY, e);
        }
        return Math.max(1, cores / perOp);
    }

    /** The number of trials run at once. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs up to {@code n} trials at once (default {@link #defaultParallelism()}). Worth it when one trial leaves cores
     * idle (a small model whose ops do not keep every core of the backend busy). Results do not depend on it: each
     * trial draws from a generator of its own (see the class comment); a trial that shares other state (a
     * {@code SummaryWriter} is safe to share, a plain map is not) must guard it.
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
        try (Generator.Scope g = Generator.use(new Generator(trial.fold()))) {
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
