package dev.kasane.examples.fid;

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
import dev.kasane.vision.metrics.FidFmnist;
import dev.kasane.vision.metrics.InceptionScore;
import dev.kasane.vision.metrics.PrecisionRecall;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the feature network of FID-FMNIST ({@link FidFmnist.Network}) on Fashion-MNIST scaled to [-1, 1]: Adam
 * (lr 1e-3), batches of 128, evaluating on the test split after each epoch. Writes to {@code --out} the weights
 * {@value #WEIGHTS_FILE} (what models-zoo ships as {@link FidFmnist#RESOURCE}), {@code metrics.csv},
 * {@code curves.png}, the confusion matrix and {@code checkpoint.safetensors} ({@code --resume}); at the end it
 * prints the floor of FID-FMNIST: the distance between the first {@code --fid-samples} training images and as many
 * test images (two samples of the real distribution), with the test images' IS-FMNIST and the precision/recall of the
 * test images against the training images (the values a perfect generator would get; {@link FidFmnist#evaluate}).
 */
public final class FidFmnistExample {
    /** The name in {@code Main} and in checkpoints. */
    public static final String NAME = "fid-fmnist";
    /** The weights file in the output directory. */
    public static final String WEIGHTS_FILE = FidFmnist.RESOURCE;
    private static final String TITLE = "FID-FMNIST feature network on Fashion-MNIST";

    private FidFmnistExample() {
    }

    /**
     * What a run produced.
     *
     * @param history one row per epoch
     * @param weights the weights file
     * @param floor FID-FMNIST, IS-FMNIST and precision/recall of held-out real images against training images
     */
    public record Result(History history, Path weights, FidFmnist.Evaluation floor) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(FidFmnistExample::parser, FidFmnistExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "the Fashion-MNIST classifier behind FID-FMNIST (not FID): train it, report the real-vs-real floor",
                """
                Trains the small Fashion-MNIST classifier whose 64 penultimate features give FID-FMNIST \
                (not FID: see README), and reports FID-FMNIST between held-out and training images (the floor).""")
                .set("epochs", "3")
                .set("batch-size", "128")
                .set("lr", "1e-3")
                .option("fid-samples", "N", "images per set for the floor", "10000")
                .examples("fid-fmnist --epochs 3 --out out/fid-fmnist");
    }

    /** Trains as the arguments say. */
    public static Result run(Args args, PrintStream out) throws IOException {
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        int epochs = args.epochs();
        RunStart from = RunStart.of(args, Checkpoint.file(dir), null, epochs, "epoch", out);
        int fidSamples = args.getInt("fid-samples");
        if (fidSamples < InceptionScore.SPLITS) {
            throw args.error("--fid-samples must be at least " + InceptionScore.SPLITS + ", got " + fidSamples);
        }

        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.5, 0.5);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, fidSamples, 0.5, 0.5);
        out.printf(Locale.ROOT, "%s: %d training and %d test images in [-1, 1]; device %s%n", NAME, train.size(),
                test.size(), device);
        Generator.seedGlobal(from.seed());
        FidFmnist.Network model = new FidFmnist.Network();
        model.to(device);
        Adam opt = new Adam(model.parameters(), args.lr());
        History history;
        try (TensorBoardLog tb = TensorBoardLog.open(args, out)) {
            history = new Classifiers.Run(args, out, dir, TITLE, 1000, device, null).fit(model, opt, train, test,
                    from, tb);
        }
        Path weights = dir.resolve(WEIGHTS_FILE);
        model.to(Device.CPU);
        Safetensors.save(model.stateDict(), weights);
        FidFmnist fid = FidFmnist.of(model);
        int n = Math.min(fidSamples, Math.min(train.size(), test.size()));
        FidFmnist.Evaluation floor = fid.evaluate(train.head(n), test.head(n));
        out.printf(Locale.ROOT, "test accuracy %.2f%%; FID-FMNIST floor (%d test vs %d training images) %.3f, IS-FMNIST of "
                        + "the test images %.3f +- %.3f, their precision %.3f and recall %.3f (k = %d); weights %s%n",
                100 * history.last("test_acc"), n, n, floor.fid(), floor.isFmnist().mean(), floor.isFmnist().std(),
                floor.precisionRecall().precision(), floor.precisionRecall().recall(), PrecisionRecall.K,
                weights.toAbsolutePath());
        return new Result(history, weights, floor);
    }
}
