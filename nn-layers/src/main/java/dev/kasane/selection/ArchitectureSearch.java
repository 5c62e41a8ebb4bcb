package dev.kasane.selection;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Neural architecture search over an {@link ArchitectureSpace}: random search, or regularized evolution (Real et al.
 * 2019, "aging evolution"): a population of {@code population} random architectures, then, per cycle, a tournament
 * of {@code sampleSize} members drawn from the population picks the best as parent, its {@link ArchitectureSpace#mutate
 * mutation} is trained and scored, joins the population and the oldest member leaves it. Candidates over the
 * parameter budget are redrawn, never trained. Each candidate's score comes from an {@link Evaluator} (typically
 * validation accuracy after a short training); the search records its parameter count and, when asked, its
 * inference latency. Seeded: the same seed and scores give the same candidates.
 *
 * <pre>{@code
 * var space = new ArchitectureSpace(List.of(CellOp.values()), List.of(8, 16, 32), List.of(1, 2), 1, 3);
 * List<Candidate> all = ArchitectureSearch.evolution(space, 10, 3, 40, 0).images(1, 10).budget(60_000)
 *         .run((arch, n) -> trainAndValidate(arch.build(1, 10)));
 * List<Candidate> front = ArchitectureSearch.paretoFront(all);
 * }</pre>
 */
public final class ArchitectureSearch {
    private static final Logger LOG = LoggerFactory.getLogger(ArchitectureSearch.class);
    /** Draws per candidate before a budget that nothing in the space meets is reported. */
    private static final int MAX_DRAWS = 10_000;

    /**
     * One evaluated architecture.
     *
     * @param number its number, from 0, in evaluation order
     * @param architecture the architecture
     * @param parent the number of the candidate it was mutated from; -1 for a random draw
     * @param score the evaluator's score (higher is better)
     * @param parameters its model's parameter count
     * @param latencyMs median milliseconds of one forward pass on the latency input; NaN when not measured
     */
    public record Candidate(int number, Architecture architecture, int parent, double score, long parameters,
            double latencyMs) {
    }

    /** Trains and scores one architecture; higher is better. */
    @FunctionalInterface
    public interface Evaluator {
        /** The score of {@code architecture}, the search's candidate number {@code number}. */
        double score(Architecture architecture, int number) throws Exception;
    }

    private final ArchitectureSpace space;
    private final int population;
    private final int sampleSize;
    private final int candidates;
    private final long seed;
    private int inChannels = -1;
    private int classes = -1;
    private long budget = Long.MAX_VALUE;
    private int[] latencyShape;

    private ArchitectureSearch(ArchitectureSpace space, int population, int sampleSize, int candidates, long seed) {
        this.space = Objects.requireNonNull(space, "ArchitectureSearch: space");
        this.population = population;
        this.sampleSize = sampleSize;
        this.candidates = candidates;
        this.seed = seed;
    }

    /**
     * Random search: {@code trials} architectures drawn uniformly.
     *
     * @throws IllegalArgumentException if {@code trials < 1}
     */
    public static ArchitectureSearch random(ArchitectureSpace space, int trials, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("ArchitectureSearch.random: trials must be >= 1, got " + trials);
        }
        return new ArchitectureSearch(space, trials, 0, trials, seed);
    }

    /**
     * Regularized evolution: {@code population} random architectures, then mutations of tournament winners until
     * {@code candidates} architectures (the initial population included) have been evaluated.
     *
     * @throws IllegalArgumentException unless {@code 1 <= sampleSize <= population <= candidates}
     */
    public static ArchitectureSearch evolution(ArchitectureSpace space, int population, int sampleSize, int candidates,
            long seed) {
        if (sampleSize < 1 || population < sampleSize || candidates < population) {
            throw new IllegalArgumentException("ArchitectureSearch.evolution: needs 1 <= sampleSize <= population <="
                    + " candidates, got sampleSize " + sampleSize + ", population " + population + ", candidates "
                    + candidates);
        }
        return new ArchitectureSearch(space, population, sampleSize, candidates, seed);
    }

    /**
     * The models' input channels and class count (for the parameter counts); required.
     *
     * @throws IllegalArgumentException if either is below 1
     */
    public ArchitectureSearch images(int inChannels, int classes) {
        if (inChannels < 1 || classes < 1) {
            throw new IllegalArgumentException("ArchitectureSearch.images: channels and classes must be >= 1, got "
                    + inChannels + ", " + classes);
        }
        this.inChannels = inChannels;
        this.classes = classes;
        return this;
    }

    /**
     * Only architectures with at most {@code maxParameters} parameters are evaluated (others are redrawn).
     *
     * @throws IllegalArgumentException if {@code maxParameters < 1}
     */
    public ArchitectureSearch budget(long maxParameters) {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("ArchitectureSearch.budget: must be >= 1, got " + maxParameters);
        }
        this.budget = maxParameters;
        return this;
    }

    /**
     * Also measures each candidate's inference latency: the median of 10 forward passes (after 3 untimed ones) of a
     * fresh model in eval mode without gradients on a random input of {@code shape} ({@code [N, C, H, W]}).
     *
     * @throws IllegalArgumentException unless {@code shape} has 4 positive sizes
     */
    public ArchitectureSearch latency(int... shape) {
        if (shape.length != 4 || Arrays.stream(shape).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("ArchitectureSearch.latency: needs a shape [N, C, H, W] of positive sizes,"
                    + " got " + Arrays.toString(shape));
        }
        this.latencyShape = shape.clone();
        return this;
    }

    /**
     * Evaluates the candidates, in order.
     *
     * @return every candidate, in evaluation order
     * @throws IllegalStateException if {@link #images} was not given, no architecture of the space meets the budget,
     *     or the evaluator throws (naming the candidate)
     */
    public List<Candidate> run(Evaluator evaluator) {
        Objects.requireNonNull(evaluator, "ArchitectureSearch.run: evaluator");
        if (inChannels < 0) {
            throw new IllegalStateException("ArchitectureSearch.run: call images(inChannels, classes) first");
        }
        Random rnd = new Random(seed);
        List<Candidate> history = new ArrayList<>(candidates);
        Deque<Candidate> alive = new ArrayDeque<>(population);
        while (history.size() < candidates) {
            Candidate parent = null;
            Architecture arch;
            if (history.size() < population) {
                arch = draw(() -> space.sample(rnd));
            } else {
                parent = tournament(new ArrayList<>(alive), rnd);
                Architecture p = parent.architecture();
                arch = draw(() -> space.mutate(p, rnd));
            }
            Candidate c = evaluate(evaluator, history.size(), arch, parent == null ? -1 : parent.number());
            history.add(c);
            alive.addLast(c);
            if (alive.size() > population) {
                alive.removeFirst();
            }
        }
        return history;
    }

    /** The best of {@code sampleSize} members drawn without replacement; the earlier on a tie. */
    private Candidate tournament(List<Candidate> members, Random rnd) {
        List<Candidate> pool = new ArrayList<>(members);
        Candidate best = null;
        for (int i = 0; i < sampleSize; i++) {
            Candidate c = pool.remove(rnd.nextInt(pool.size()));
            if (best == null || c.score() > best.score() || (c.score() == best.score() && c.number() < best.number())) {
                best = c;
            }
        }
        return best;
    }

    private Architecture draw(java.util.function.Supplier<Architecture> next) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            Architecture a = next.get();
            if (budget == Long.MAX_VALUE || a.parameters(inChannels, classes) <= budget) {
                return a;
            }
        }
        throw new IllegalStateException("ArchitectureSearch: no architecture within the budget of " + budget
                + " parameters in " + MAX_DRAWS + " draws from " + space);
    }

    private Candidate evaluate(Evaluator evaluator, int number, Architecture arch, int parent) {
        long params = arch.parameters(inChannels, classes);
        double latency = latencyShape == null ? Double.NaN : latencyMs(arch.build(latencyShape[1], classes),
                latencyShape);
        long start = System.nanoTime();
        double score;
        try {
            score = evaluator.score(arch, number);
        } catch (Exception e) {
            throw new IllegalStateException("ArchitectureSearch: candidate " + number + " (" + arch + ") failed: " + e, e);
        }
        LOG.info("ArchitectureSearch candidate {}/{} ({}, {} parameters): score {} in {} s", number + 1, candidates, arch,
                params, score, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        return new Candidate(number, arch, parent, score, params, latency);
    }

    /**
     * Median milliseconds of one forward pass of {@code model} in eval mode without gradients on a random input of
     * {@code shape}, over 10 passes after 3 untimed ones (the measurement of {@link #latency}).
     */
    public static double latencyMs(Module model, int... shape) {
        model.eval();
        Tensor x = Tensor.randn(shape);
        double[] ms = new double[10];
        try (GradGuard g = Autograd.noGrad()) {
            for (int i = 0; i < 3 + ms.length; i++) {
                long t = System.nanoTime();
                model.forward(x);
                if (i >= 3) {
                    ms[i - 3] = (System.nanoTime() - t) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        return (ms[4] + ms[5]) / 2;
    }

    /**
     * The candidates no other beats on both score (higher) and parameter count (lower) without being worse on the
     * other, sorted by parameter count; of candidates equal on both, the first.
     */
    public static List<Candidate> paretoFront(List<Candidate> candidates) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingLong(Candidate::parameters).thenComparing(Comparator.comparingDouble(
                Candidate::score).reversed()).thenComparingInt(Candidate::number));
        List<Candidate> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Candidate c : sorted) {
            if (c.score() > best) {
                front.add(c);
                best = c.score();
            }
        }
        return front;
    }
}
