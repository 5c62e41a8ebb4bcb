package dev.kasane.examples.lenet;

import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.io.Safetensors;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
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

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(LeNetExample::parser, LeNetExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "LeNet-5 on Fashion-MNIST: train, evaluate, chart, confusion matrix, checkpoints",
                "Trains LeNet-5 on Fashion-MNIST with Adam, evaluating on the test set after each epoch.\n"
                        + "Writes metrics.csv, curves.png, confusion_matrix.png/.txt, checkpoint.safetensors and\n"
                        + WEIGHTS_FILE + " to --out.")
                .option("eval-batch-size", "N", "batch size for evaluation", "1000")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .examples("java --add-modules jdk.incubator.vector -jar examples/target/examples.jar lenet --epochs 10 "
                        + "--out out/lenet", "... lenet --epochs 12 --out out/lenet --resume   (continues with epoch 11)");
    }

    /** Runs the example, printing its progress and results to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        int epochs = args.epochs();
        out.println("lenet: " + args);
        RunStart from = RunStart.of(args, Checkpoint.file(dir), null, epochs, "epoch", out);

        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), MEAN, STD);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, args.getInt("test-limit"), MEAN, STD);
        out.printf(Locale.ROOT, "data: %d training and %d test images; device %s%n", train.size(), test.size(),
                device);

        Generator.seedGlobal(from.seed());
        LeNet5 model = new LeNet5(train.classes().size());
        model.to(device);
        Adam opt = new Adam(model.parameters(), args.lr());
        TensorBoardLog tb = TensorBoardLog.open(args, out);
        tb.images("test_images", test.head(32).mul(STD).add(MEAN).clamp(0, 1), from.epoch());
        History history = new Classifiers.Run(args, out, dir, TITLE, args.getInt("eval-batch-size"), device, null)
                .fit(model, opt, train, test, from, tb);
        tb.close();
        Safetensors.save(model.stateDict(), dir.resolve(WEIGHTS_FILE));
        out.printf(Locale.ROOT, "final test accuracy %.2f%%; outputs in %s%n", 100 * history.last("test_acc"),
                dir.toAbsolutePath());
        return new Result(history, dir, epochs - from.epoch());
    }
}
