package dev.kasane.examples.sparklenet;

import dev.kasane.autograd.Tensor;
import dev.kasane.distributed.spark.Examples;
import dev.kasane.distributed.spark.ProgressListener;
import dev.kasane.distributed.spark.SampleShape;
import dev.kasane.distributed.spark.SparkTrainer;
import dev.kasane.distributed.spark.TrainingProgress;
import dev.kasane.distributed.spark.TrainingResult;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.lenet.LeNetExample;
import dev.kasane.examples.resnet.ResNetExample;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.metrics.ConfusionMatrix;
import dev.kasane.vision.models.LeNet5;
import dev.kasane.vision.models.ResNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * LeNet-5 on Fashion-MNIST trained data-parallel on Apache Spark with {@link SparkTrainer}: the {@code lenet}
 * example's model, optimizer (Adam) and normalisation, with the training set in an RDD of {@code --workers}
 * partitions, one model replica each. {@code --mode sync} (default) takes synchronous steps with a ring all-reduce
 * of the gradients; {@code --mode average} averages the replicas every {@code --average-every} local steps. After
 * each epoch the driver evaluates on the test set and writes {@code metrics.csv}, {@code curves.png},
 * {@code confusion_matrix.png/.txt} to {@code --out}; the trainer's checkpoints go to {@code <out>/checkpoints} (or
 * {@code --checkpoint-dir}, any Hadoop filesystem URI the executors reach), and {@code --resume} continues from
 * them; at the end the weights go to {@code lenet5.safetensors}. {@code --model resnet18} trains the {@code resnet}
 * example's ResNet-18 (CIFAR stem, Fashion-MNIST padded to 32x32 and repeated to 3 channels) instead, for the
 * scaling measurements of a model 180 times larger (weights in {@code resnet18.safetensors}).
 *
 * <p>Spark is not in the examples jar (a Spark application runs on the cluster's Spark): run it with
 * {@code spark-submit}, or locally with Spark's jars that the build lists in {@code examples/target/spark-lenet.args}
 * (see README, "Training on Apache Spark").
 */
public final class SparkLeNetExample {
    /** The name in {@code Main}. */
    public static final String NAME = "spark-lenet";
    private static final String TITLE = "LeNet-5 on Fashion-MNIST (Spark)";
    private static final String CHECKPOINTS = "checkpoints";

    private SparkLeNetExample() {
    }

    /**
     * What a run produced.
     *
     * @param history one row per epoch since the first
     * @param out the output directory
     * @param last the last epoch's training result (null if no epoch was left to train)
     */
    public record Result(History history, Path out, TrainingResult last) {
        /** Test accuracy after the last epoch. */
        public double testAccuracy() {
            return history.last("test_acc");
        }
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(SparkLeNetExample::parser, SparkLeNetExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "LeNet-5 on Fashion-MNIST data-parallel on Apache Spark (all-reduce or parameter averaging)",
                "Trains LeNet-5 on Fashion-MNIST data-parallel on Apache Spark (one replica per worker),\n"
                        + "evaluating on the test set after each epoch. Writes metrics.csv, curves.png,\n"
                        + "confusion_matrix.png/.txt, checkpoints/ and " + LeNetExample.WEIGHTS_FILE + " to --out.")
                .set("epochs", "2")
                .option("master", "URL", "Spark master when not started by spark-submit", "local[2]")
                .option("workers", "N", "model replicas (RDD partitions); each needs a task slot", "2")
                .option("mode", "M", "sync (all-reduce every step) or average (parameter averaging)", "sync")
                .option("average-every", "K", "local steps between parameter averages (--mode average)", "8")
                .option("checkpoint-dir", "URI", "where the workers write checkpoints (default <out>/checkpoints)", null)
                .option("checkpoint-every", "N", "steps between checkpoints", "200")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .option("model", "NAME", "lenet5, or resnet18 (the resnet example's ResNet-18 and 32x32 data)",
                        "lenet5")
                .examples("java @examples/target/spark-lenet.args dev.kasane.examples.Main spark-lenet --epochs 2",
                        "spark-submit --class dev.kasane.examples.Main examples/target/examples.jar spark-lenet ...")
                .note("See README, \"Training on Apache Spark\".");
    }

    /** Runs the example, printing its progress and results to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        if (!args.device().equals(Device.CPU)) {
            throw args.error("--device: the replicas train on the executors' CPUs; only cpu is supported");
        }
        String mode = args.get("mode");
        boolean resnet = switch (args.get("model")) {
            case "lenet5" -> false;
            case "resnet18" -> true;
            default -> throw args.error("--model must be lenet5 or resnet18, got " + args.get("model"));
        };
        if (!mode.equals("sync") && !mode.equals("average")) {
            throw args.error("--mode must be sync or average, got " + mode);
        }
        int workers = args.getInt("workers");
        if (workers < 1 || args.batchSize() % workers != 0) {
            throw args.error("--batch-size " + args.batchSize() + " must be a multiple of --workers " + workers);
        }
        Path dir = args.createOut();
        String checkpointDir = args.has("checkpoint-dir") ? args.get("checkpoint-dir")
                : prepareCheckpoints(args, dir.resolve(CHECKPOINTS));
        out.println(NAME + ": " + args);

        ImageData train = load(args.dataDir(), true, args.limit(), resnet);
        ImageData test = load(args.dataDir(), false, args.getInt("test-limit"), resnet);
        int classes = train.classes().size();
        SampleShape shape = SampleShape.classification(Arrays.copyOfRange(train.head(1).shape(), 1, 4));
        double lr = args.lr();
        History history = args.resume() && Files.exists(dir.resolve("metrics.csv"))
                ? History.fromCsv(Files.readString(dir.resolve("metrics.csv")))
                : new History(Classifiers.HISTORY_COLUMNS);
        int epochs = args.epochs();
        long seed = args.seed();
        SparkConf conf = new SparkConf().setAppName("kasane-" + NAME);
        if (!conf.contains("spark.master")) {
            conf.setMaster(args.get("master"));
        }
        TrainingResult last = null;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // each executor loads its slice of the training files itself: the tasks carry the folder's name, not
            // the images (parallelize would ship its partition with every task of every averaging round)
            String dataDir = args.dataDir() == null ? null : args.dataDir().toString();
            int limit = args.limit();
            JavaRDD<dev.kasane.distributed.spark.Example> data = Examples.loadOnExecutors(sc,
                    () -> load(dataDir == null ? null : Path.of(dataDir), true, limit, resnet).dataset(), workers)
                    .cache();
            out.printf(Locale.ROOT, "data: %d training and %d test images; master %s, %d workers, mode %s%n",
                    train.size(), test.size(), sc.master(), workers, mode);
            for (int epoch = history.size(); epoch < epochs; epoch++) {
                // the initial weights from the seed, as lenet's: a resumed run starts from the same ones
                SparkTrainer.Builder b = SparkTrainer.builder(() -> seededModel(seed, classes, resnet), F::crossEntropy,
                                p -> new Adam(p, lr))
                        .shape(shape).workers(workers).batchSize(args.batchSize())
                        .epochs(epoch + 1).seed(seed).checkpointDir(checkpointDir)
                        .checkpointEvery(args.getInt("checkpoint-every")).logEvery(args.logEvery())
                        .progress(printer(out, args.batchSize()));
                if (mode.equals("average")) {
                    b.averageEvery(args.getInt("average-every"));
                }
                last = b.build().fit(data);
                ConfusionMatrix cm = new ConfusionMatrix(test.classes());
                Classifiers.Evaluation ev = Classifiers.evaluate(last.model(), test.dataset(), 1000, Device.CPU, null,
                        cm);
                double trainLoss = epochLoss(last.progress(), epoch + 1);
                out.printf(Locale.ROOT, "epoch %d/%d done: train loss %.4f, test loss %.4f, test accuracy %.2f%%,"
                                + " %.0f samples/s, communication %.0f%% of the step time%n", epoch + 1, epochs,
                        trainLoss, ev.loss(), 100 * ev.accuracy(), last.samplesPerSecond(),
                        100 * last.communicationShare());
                history.add(epoch + 1, trainLoss, ev.loss(), ev.accuracy(), last.seconds(), last.samplesPerSecond());
                Classifiers.writeOutputs(dir, TITLE, history, cm);
                Safetensors.save(last.model().stateDict(),
                        dir.resolve(resnet ? ResNetExample.WEIGHTS_FILE : LeNetExample.WEIGHTS_FILE));
            }
        }
        out.printf(Locale.ROOT, "final test accuracy %.2f%%; outputs in %s%n", 100 * history.last("test_acc"),
                dir.toAbsolutePath());
        return new Result(history, dir, last);
    }

    private static Module seededModel(long seed, int classes, boolean resnet) {
        Generator.seedGlobal(seed);
        return resnet ? new Sequential(new GreyToRgb(), ResNet.resnet18(classes, true)) : new LeNet5(classes);
    }

    /** The lenet example's data, or the resnet example's (padded to 32x32) for {@code --model resnet18}. */
    private static ImageData load(Path dir, boolean train, int limit, boolean resnet) throws IOException {
        return resnet ? ResNetExample.load(dir, train, limit)
                : ImageData.fashionMnist(dir, train, limit, LeNetExample.MEAN, LeNetExample.STD);
    }

    /** The resnet example's batch preparation as a layer: [N, 1, 32, 32] repeated to [N, 3, 32, 32]. */
    private static final class GreyToRgb extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return ResNetExample.toRgb(x);
        }
    }

    /** The default checkpoint directory: kept with --resume, emptied with --overwrite, refused otherwise. */
    private static String prepareCheckpoints(Args args, Path checkpoints) throws IOException {
        if (Files.isDirectory(checkpoints) && !args.resume()) {
            List<Path> old;
            try (Stream<Path> s = Files.list(checkpoints)) {
                old = s.toList();
            }
            if (!old.isEmpty() && !args.flag("overwrite")) {
                throw args.error(checkpoints + " holds the checkpoints of an earlier run: add --resume to continue"
                        + " it, or --overwrite to start afresh (deleting them)");
            }
            for (Path p : old) {
                Files.delete(p);
            }
        }
        return checkpoints.toString();
    }

    /** The mean of the reported losses of epoch {@code epoch}, each weighted by the steps it covers. */
    static double epochLoss(List<TrainingProgress> reports, int epoch) {
        double sum = 0;
        long steps = 0;
        long previous = 0;
        for (TrainingProgress p : reports) {
            if (p.epoch() == epoch) {
                sum += p.loss() * (p.step() - previous);
                steps += p.step() - previous;
                previous = p.step();
            }
        }
        return steps == 0 ? Double.NaN : sum / steps;
    }

    /** Prints each report with the time left in the epoch at the report's speed ({@code batchSize} per step). */
    private static ProgressListener printer(PrintStream out, int batchSize) {
        return new ProgressListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                long seconds = Math.round((p.stepsPerEpoch() - p.step()) * batchSize / p.samplesPerSecond());
                out.println(p + String.format(Locale.ROOT, ", epoch ETA %dm%02ds", seconds / 60, seconds % 60));
            }

            @Override
            public void onResume(long finishedSteps) {
                out.println("resumed from the checkpoint after step " + finishedSteps);
            }
        };
    }
}
