package dev.kasane.examples.lenet;

import dev.kasane.data.TensorDataset;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.Seeds;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.io.Safetensors;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.metrics.ConfusionMatrix;
import dev.kasane.vision.models.LeNet5;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * LeNet-5 on Fashion-MNIST: Adam (lr 1e-3), batches of 64 shuffled with the seed, inputs normalised with mean 0.2860
 * and std 0.3530 (as {@code torch_bench.py}). After every epoch it evaluates on the test set and writes to
 * {@code --out}: {@code metrics.csv}, {@code curves.png} (losses and test accuracy), {@code confusion_matrix.png}
 * and {@code .txt}, and {@code checkpoint.safetensors}; at the end the weights alone as {@code lenet5.safetensors}.
 * {@code --resume} continues from the checkpoint with the next epoch and ends with the same weights as an
 * uninterrupted run; resuming a finished run (one killed after its last checkpoint) writes its outputs again.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar examples/target/examples.jar lenet --epochs 10 --out out/lenet
 * </pre>
 */
public final class LeNetExample {
    /** Fashion-MNIST's pixel mean (of [0, 1] values). */
    public static final double MEAN = 0.2860;
    /** Fashion-MNIST's pixel standard deviation. */
    public static final double STD = 0.3530;
    /** The name in {@code Main} and in checkpoints. */
    public static final String NAME = "lenet";
    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(NAME,
            "LeNet-5 on Fashion-MNIST: train, evaluate, chart, confusion matrix, checkpoints",
            LeNetExample::parser, LeNetExample::run);
    /** File of the final weights (a plain state dict) in the output directory. */
    public static final String WEIGHTS_FILE = "lenet5.safetensors";
    private static final String TITLE = "LeNet-5 on Fashion-MNIST";

    private LeNetExample() {
    }

    /**
     * What a run produced.
     *
     * @param history one row per epoch since the first (including epochs of a resumed run's earlier part)
     * @param out the output directory
     * @param epochsRun epochs trained by this invocation
     */
    public record Result(History history, Path out, int epochsRun) {
        /** Test accuracy after the last epoch (NaN if none). */
        public double testAccuracy() {
            return history.last("test_acc");
        }
    }

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "Trains LeNet-5 on Fashion-MNIST with Adam, evaluating on the test set after each epoch.\n"
                        + "Writes metrics.csv, curves.png, confusion_matrix.png/.txt, checkpoint.safetensors and\n"
                        + WEIGHTS_FILE + " to --out.")
                .option("eval-batch-size", "N", "batch size for evaluation", "1000")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .note("example:\n  java --add-modules jdk.incubator.vector -jar examples/target/examples.jar lenet"
                        + " --epochs 10 --out out/lenet\n  ... lenet --epochs 12 --out out/lenet --resume"
                        + "   (continues with epoch 11)");
    }

    /** Runs the example, printing its progress and results to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        int epochs = args.epochs();
        out.println("lenet: " + args);
        Path ckptFile = Checkpoint.file(dir);
        Checkpoint ck = args.resume() ? Checkpoint.resumable(ckptFile, NAME, null, out) : null;
        int start = ck == null ? 0 : ck.start(epochs, "epoch", out);
        long seed = ck == null ? args.seed() : ck.seed();

        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), MEAN, STD);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, args.getInt("test-limit"), MEAN, STD);
        out.printf(Locale.ROOT, "data: %d training and %d test images; device %s%n", train.size(), test.size(),
                device);

        Generator.seedGlobal(seed);
        LeNet5 model = new LeNet5(train.classes().size());
        model.to(device);
        Adam opt = new Adam(model.parameters(), args.lr());
        History history = new History(Classifiers.HISTORY_COLUMNS);
        if (ck != null) {
            ck.restore("model", model);
            ck.restore("opt", opt);
            history = ck.history(history);
        }

        TensorDataset trainSet = train.dataset();
        TensorDataset testSet = test.dataset();
        int batchSize = args.batchSize();
        int evalBatch = args.getInt("eval-batch-size");
        int steps = (trainSet.size() + batchSize - 1) / batchSize;
        Progress progress = new Progress(epochs, steps).logEvery(args.logEvery()).output(out);
        TensorBoardLog tb = TensorBoardLog.open(args, out).follow(progress);
        tb.images("test_images", testSet.tensor(0).narrow(0, 0, 32).mul(STD).add(MEAN).clamp(0, 1), start);
        for (int epoch = start; epoch < epochs; epoch++) {
            Seeds.startEpoch(seed, epoch);
            model.train();
            progress.startEpoch(epoch);
            Classifiers.trainEpoch(model, opt, trainSet, batchSize, Seeds.shuffleSeed(seed, epoch), device, null,
                    progress);
            Progress.Summary s = progress.stopEpoch();
            ConfusionMatrix cm = new ConfusionMatrix(test.classes());
            Classifiers.Evaluation ev = Classifiers.evaluate(model, testSet, evalBatch, device, null, cm);
            progress.printSummary(s, String.format(Locale.ROOT, "test loss %.4f, test accuracy %.2f%%", ev.loss(),
                    100 * ev.accuracy()));
            history.add(epoch + 1, s.meanLoss(), ev.loss(), ev.accuracy(), s.seconds(), s.throughput());
            tb.epoch(history, model);
            // the epoch's outputs before its checkpoint: a checkpoint on disk means its epoch's outputs are too
            Classifiers.writeOutputs(dir, TITLE, history, cm);
            new Checkpoint(NAME, epoch + 1, seed).add("model", model).add("opt", opt).meta("history", history.toCsv())
                    .save(ckptFile);
        }
        if (start == epochs) {
            // a finished run resumed (killed after its last checkpoint, or outputs lost): write its outputs again
            ConfusionMatrix cm = new ConfusionMatrix(test.classes());
            Classifiers.evaluate(model, testSet, evalBatch, device, null, cm);
            Classifiers.writeOutputs(dir, TITLE, history, cm);
        }
        tb.close();
        Safetensors.save(model.stateDict(), dir.resolve(WEIGHTS_FILE));
        out.printf(Locale.ROOT, "final test accuracy %.2f%%; outputs in %s%n", 100 * history.last("test_acc"),
                dir.toAbsolutePath());
        return new Result(history, dir, epochs - start);
    }
}
