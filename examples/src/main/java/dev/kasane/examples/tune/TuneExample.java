package dev.kasane.examples.tune;

import dev.kasane.data.Sample;
import dev.kasane.data.TensorDataset;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.lenet.LeNetExample;
import dev.kasane.selection.ArchitectureSearch;
import dev.kasane.selection.ArchitectureSearch.Candidate;
import dev.kasane.selection.ArchitectureSpace;
import dev.kasane.selection.CellOp;
import dev.kasane.selection.GridSearch;
import dev.kasane.selection.KFold;
import dev.kasane.selection.Param;
import dev.kasane.selection.Search;
import dev.kasane.selection.SearchResults;
import dev.kasane.selection.SearchSpace;
import dev.kasane.selection.Split;
import dev.kasane.selection.Splits;
import dev.kasane.tensor.Device;
import dev.kasane.vision.models.LeNet5;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Model selection on Fashion-MNIST in one command: a k-fold grid search over LeNet-5's learning rate and batch size,
 * then a neural architecture search under a parameter budget (regularized evolution against random search with the
 * same number of candidates), and the best architecture found against LeNet-5, both retrained and scored on the test
 * set. Writes to {@code --out}: {@code grid.csv} and {@code grid.md} (mean and standard deviation of the validation
 * accuracy per configuration), {@code nas.csv} (every candidate: search, parent, architecture, parameters, latency,
 * validation accuracy), {@code pareto.png} (validation accuracy against parameters, the Pareto front joined),
 * {@code summary.md} (all tables) and {@code trials.csv}, the log of finished trials that {@code --resume} continues
 * from (a finished trial is never trained again). {@code --logdir} gives every trial a TensorBoard run.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar examples/target/examples.jar tune --out out/tune
 * </pre>
 */
public final class TuneExample {
    /** The name in {@code Main}. */
    public static final String NAME = "tune";
    /** The log of finished trials, the run's checkpoint. */
    public static final String TRIALS_FILE = "trials.csv";

    private TuneExample() {
    }

    /**
     * What a run produced.
     *
     * @param grid the grid search's results
     * @param evolution the candidates of regularized evolution
     * @param random the candidates of random search
     * @param comparison the final comparison, LeNet-5 first
     */
    public record Result(SearchResults grid, List<Candidate> evolution, List<Candidate> random, List<Scored> comparison) {
    }

    /**
     * A model retrained on the whole training set and scored on the test set.
     *
     * @param name what it is
     * @param parameters its parameter count
     * @param latencyMs median forward latency of one image, ms
     * @param testAccuracy its test accuracy
     */
    public record Scored(String name, long parameters, double latencyMs, double testAccuracy) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(TuneExample::parser, TuneExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "Model selection: k-fold grid search for LeNet-5, architecture search under a budget (evolution vs random)",
                """
                Grid search (k-fold) over LeNet-5's lr and batch size, then architecture search under a
                parameter budget (regularized evolution vs random search), the best found vs LeNet-5 on the
                test set. Writes grid.csv/.md, nas.csv, pareto.png, summary.md and trials.csv to --out.""")
                .set("limit", "12000").set("epochs", "1")
                .option("folds", "K", "folds of the grid search's cross-validation", "5")
                .option("lrs", "LIST", "learning rates of the grid", "0.0003,0.001,0.003")
                .option("batch-sizes", "LIST", "batch sizes of the grid", "32,64,128")
                .option("candidates", "N", "architectures each search evaluates", "24")
                .option("population", "N", "regularized evolution's population", "8")
                .option("sample", "N", "regularized evolution's tournament size", "3")
                .option("budget", "N", "most parameters of a candidate (LeNet-5 has 61,706)", "60000")
                .option("final-epochs", "N", "epochs of the final retraining of LeNet-5 and the best architecture", "3")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .option("parallel", "N", "grid-search trials run at once, 0 = one per core (a LeNet-5 trial leaves"
                        + " cores idle)", "0")
                .flag("quick", "a tiny run for smoke tests: 2 folds, a 2x1 grid, 4 candidates per search")
                .without("lr", "batch-size")
                .examples("java --add-modules jdk.incubator.vector -jar examples/target/examples.jar tune --out out/tune");
    }

    /** Runs the example, printing its progress and results to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        Path dir = args.createOut(TRIALS_FILE);
        boolean quick = args.flag("quick");
        Device device = args.device();
        long seed = args.seed();
        int epochs = args.epochs();
        int folds = quick ? 2 : atLeast(args, "folds", 2);
        List<Double> lrs = quick ? List.of(1e-3, 3e-3) : doubles(args, "lrs");
        List<Integer> batchSizes = quick ? List.of(64) : ints(args, "batch-sizes");
        int candidates = quick ? 4 : atLeast(args, "candidates", 1);
        int population = quick ? 2 : atLeast(args, "population", 1);
        int sample = quick ? 1 : atLeast(args, "sample", 1);
        if (sample > population || population > candidates) {
            throw args.error("needs --sample <= --population <= --candidates, got " + sample + ", " + population + ", "
                    + candidates);
        }
        long budget = args.getLong("budget");
        int parallel = args.getInt("parallel");
        if (parallel < 0) {
            throw args.error("--parallel must be >= 0, got " + parallel);
        }
        out.println("tune: " + args);
        TrialLog log = TrialLog.open(dir.resolve(TRIALS_FILE), args.resume(), out);

        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), LeNetExample.MEAN, LeNetExample.STD);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, args.getInt("test-limit"), LeNetExample.MEAN,
                LeNetExample.STD);
        TensorDataset trainSet = train.dataset();
        TensorDataset testSet = test.dataset();
        out.printf(Locale.ROOT, "data: %d training and %d test images; device %s%n", train.size(), test.size(), device);

        int gridTrials = lrs.size() * batchSizes.size() * folds;
        Progress progress = new Progress(1, gridTrials + 2 * candidates + 2).unit("trial").logEvery(1).output(out);
        progress.startEpoch(0);
        Trainer trainer = new Trainer(args, device, epochs);

        // 1. grid search, k-fold
        Param<Double> lr = Param.choice("lr", lrs.toArray(Double[]::new));
        Param<Integer> batch = Param.choice("batch_size", batchSizes.toArray(Integer[]::new));
        List<Split<Sample>> splits = new KFold(folds, true, seed).split(trainSet);
        Search gridSearch = new GridSearch(SearchSpace.of(lr, batch))
                .parallelism(parallel > 0 ? parallel : Runtime.getRuntime().availableProcessors());
        long gridStart = System.nanoTime();
        SearchResults grid = gridSearch.run(splits, trial -> {
            String key = "grid," + trial.config() + ",fold " + trial.fold();
            Split<Sample> sp = trial.split();
            return log.score(key, progress, () -> trainer.accuracy("grid/" + runName(trial.config() + "-fold"
                    + trial.fold()), () -> new LeNet5(10), trial.config().get(lr), trial.config().get(batch), sp.train(),
                    sp.validation(), seed + trial.fold()));
        });
        double bestLr = grid.best().config().get(lr);
        int bestBatch = grid.best().config().get(batch);
        out.printf(Locale.ROOT, "grid search: %d trials, %d at once, in %.1f s; best lr %s, batch size %d (validation "
                + "accuracy %.2f%% +- %.2f)%n", gridTrials, gridSearch.parallelism(), (System.nanoTime() - gridStart) / 1e9,
                bestLr, bestBatch, 100 * grid.best().mean(), 100 * grid.best().std());

        // 2. architecture search on one train/validation split, with the grid's best lr and batch size
        Split<Sample> holdout = Splits.trainValidation(trainSet, 0.2, seed);
        ArchitectureSpace space = new ArchitectureSpace(List.of(CellOp.values()), List.of(8, 16, 24, 32),
                List.of(1, 2), 1, 3);
        List<List<Candidate>> searches = new ArrayList<>();
        for (String kind : List.of("evolution", "random")) {
            ArchitectureSearch search = kind.equals("evolution")
                    ? ArchitectureSearch.evolution(space, population, sample, candidates, seed)
                    : ArchitectureSearch.random(space, candidates, seed);
            searches.add(search.images(1, 10).budget(budget).latency(1, 1, 28, 28).run((arch, n) -> log.score(
                    kind + "," + n + "," + arch, progress, () -> trainer.accuracy(kind + "/" + n, () -> arch.build(1, 10),
                            bestLr, bestBatch, holdout.train(), holdout.validation(), seed))));
        }
        List<Candidate> all = new ArrayList<>(searches.get(0));
        all.addAll(searches.get(1));
        Candidate best = all.stream().max(java.util.Comparator.comparingDouble(Candidate::score)).orElseThrow();

        // 3. the best architecture found against LeNet-5, retrained on all training images, scored on the test set
        int finalEpochs = atLeast(args, "final-epochs", 1);
        Trainer fin = new Trainer(args, device, quick ? 1 : finalEpochs);
        List<Scored> scored = new ArrayList<>();
        long lenetParams = new LeNet5(10).numParameters();
        double lenetLatency = ArchitectureSearch.latencyMs(new LeNet5(10), 1, 1, 28, 28);
        scored.add(new Scored("LeNet-5", lenetParams, lenetLatency, log.score("final,LeNet-5", progress,
                () -> fin.accuracy("final/lenet5", () -> new LeNet5(10), bestLr, bestBatch, trainSet, testSet, seed))));
        scored.add(new Scored("found: " + best.architecture(), best.parameters(), best.latencyMs(), log.score("final,"
                + best.architecture(), progress, () -> fin.accuracy("final/best", () -> best.architecture().build(1, 10),
                bestLr, bestBatch, trainSet, testSet, seed))));
        progress.stopEpoch();

        Reports.write(dir, grid, searches.get(0), searches.get(1), scored, finalEpochs, budget);
        out.println(Reports.finalTable(scored));
        out.println("outputs in " + dir.toAbsolutePath());
        return new Result(grid, searches.get(0), searches.get(1), scored);
    }

    /** A TensorBoard run name from a configuration: "lr=0.001, batch_size=64-fold0" -> "lr=0.001_batch_size=64-fold0". */
    private static String runName(String s) {
        return s.replace(", ", "_");
    }

    private static int atLeast(Args args, String name, int min) {
        int v = args.getInt(name);
        if (v < min) {
            throw args.error("--" + name + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    private static List<Double> doubles(Args args, String name) {
        List<Double> l = new ArrayList<>();
        for (String s : args.get(name).split(",")) {
            try {
                double v = Double.parseDouble(s.trim());
                if (!(v > 0) || !Double.isFinite(v)) {
                    throw args.error("--" + name + ": values must be positive, got " + s.trim());
                }
                l.add(v);
            } catch (NumberFormatException e) {
                throw args.error("--" + name + ": not a number: '" + s.trim() + "'");
            }
        }
        return l;
    }

    private static List<Integer> ints(Args args, String name) {
        List<Integer> l = new ArrayList<>();
        for (double v : doubles(args, name)) {
            if (v != Math.rint(v)) {
                throw args.error("--" + name + ": values must be whole numbers, got " + v);
            }
            l.add((int) v);
        }
        return l;
    }
}
