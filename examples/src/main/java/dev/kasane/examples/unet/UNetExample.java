package dev.kasane.examples.unet;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.CheckpointParts;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.Plots;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.Seeds;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.metrics.Metrics;
import dev.kasane.vision.models.UNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * U-Net segmentation of a synthetic data set generated in code ({@link SyntheticShapes}: random ellipses,
 * rectangles and triangles on noisy shaded backgrounds, with their binary masks).
 *
 * <p>Model {@code UNet(1, 1, width)} from the zoo; loss BCE-with-logits plus (weight {@code --dice-weight}) the soft
 * Dice loss {@code 1 - (2 sum(p m) + 1) / (sum(p) + sum(m) + 1)} over the batch; Adam. After each epoch the held-out
 * images (drawn with another seed, never seen in training) are segmented in eval mode, thresholding the logits at 0,
 * and the mean per-image Dice and IoU are reported.
 *
 * <p>Outputs in {@code --out}: {@code panels.png} (held-out input | predicted mask | true mask, for 8 images),
 * {@code metrics.csv}, {@code curves.png} and {@code checkpoint.safetensors} (model, optimizer, epoch, history),
 * written after each epoch; {@code --resume} continues from it.
 */
public final class UNetExample {
    /** Name under Main. */
    public static final String NAME = "unet";
    /** The picture of held-out inputs, predictions and masks in the output directory. */
    public static final String PANELS_FILE = "panels.png";

    private UNetExample() {
    }

    /**
     * What one run did.
     *
     * @param epochsRun epochs trained by this call
     * @param history per-epoch rows: epoch, train_loss, test_dice, test_iou (including epochs before a resume)
     * @param checkpoint the checkpoint file
     * @param panels the panel PNG
     */
    public record Result(int epochsRun, History history, Path checkpoint, Path panels) {
        /** The held-out Dice after the last epoch. */
        public double dice() {
            return history.last("test_dice");
        }
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(UNetExample::parser, UNetExample::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "U-Net segmentation of synthetic shapes (Dice/IoU, input|prediction|mask panels)",
                """
                U-Net segmentation of synthetic shapes (ellipses, rectangles, triangles on noisy \
                backgrounds, generated in code and seeded; 1-channel images and binary masks). \
                UNet(1, 1, width) from the model zoo, BCE-with-logits + soft Dice loss, Adam. Reports the mean \
                Dice and IoU on held-out images after each epoch and writes <out>/panels.png \
                (input | prediction | mask).""")
                .without("data")
                .set("epochs", "10")
                .set("batch-size", "16")
                .set("lr", "1e-3")
                .option("train-size", "N", "synthetic training images (--limit N uses the first N of them)", "512")
                .option("test-size", "N", "held-out images (another seed)", "128")
                .option("size", "N", "image height and width (a multiple of 8)", "64")
                .option("width", "N", "U-Net base width", "16")
                .option("dice-weight", "X", "weight of the soft Dice loss added to BCE (0 = BCE only)", "1")
                .option("stop-at-dice", "X", "stop after the first epoch whose held-out Dice reaches X (0 = never)", "0")
                .examples("unet --epochs 10 --out out/unet", "unet --stop-at-dice 0.9 --epochs 30",
                        "unet --limit 32 --test-size 16 --epochs 1 --size 32  (smoke test)");
    }

    /**
     * Trains as the arguments say.
     *
     * @param args parsed by {@link #parser()}
     * @param log where progress goes
     */
    public static Result run(Args args, PrintStream log) throws IOException {
        int size = args.getInt("size");
        int width = args.getInt("width");
        int trainSize = args.getInt("train-size");
        int testSize = args.getInt("test-size");
        double diceWeight = args.getDouble("dice-weight");
        double stopAt = args.getDouble("stop-at-dice");
        if (size < 8 || size % 8 != 0 || width < 1 || trainSize < 1 || testSize < 1 || diceWeight < 0) {
            throw args.error("need --size a multiple of 8, --width, --train-size and --test-size >= 1 and "
                    + "--dice-weight >= 0; got size " + size + ", width " + width + ", train " + trainSize + ", test "
                    + testSize + ", dice weight " + diceWeight);
        }
        if (args.limit() > 0) {
            trainSize = Math.min(trainSize, args.limit());
        }
        int epochs = args.epochs();
        Path out = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        RunStart from = RunStart.of(args, Checkpoint.file(out), null, epochs, "epoch", log);
        long seed = from.seed();

        TensorDataset train = SyntheticShapes.generate(trainSize, size, Seeds.derive(seed, 10));
        TensorDataset test = SyntheticShapes.generate(testSize, size, Seeds.derive(seed, 11));

        Generator.seedGlobal(seed);
        UNet model = new UNet(1, 1, width);
        model.to(device);
        Adam opt = new Adam(model.parameters(), args.lr());
        CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
        History history = from.restore(parts, new History("epoch", "train_loss", "test_dice", "test_iou"));
        int batchSize = Math.min(args.batchSize(), trainSize);
        int steps = (trainSize + batchSize - 1) / batchSize;
        log.printf(Locale.ROOT, "%s: UNet(1, 1, %d) %,d parameters, %d training and %d held-out %dx%d images, "
                        + "batch %d, lr %.0e, loss BCE%s, device %s%n", NAME, width, model.numParameters(), trainSize,
                testSize, size, size, batchSize, args.lr(), diceWeight > 0 ? " + " + diceWeight + " x soft Dice" : "",
                device);

        Progress progress = new Progress(epochs, steps).logEvery(args.logEvery()).output(log);
        TensorBoardLog tb = TensorBoardLog.open(args, log).follow(progress);
        Path panels = out.resolve(PANELS_FILE);
        int epochsRun = 0;
        for (int epoch = from.epoch(); epoch < epochs; epoch++) {
            Seeds.startEpoch(seed, epoch);
            model.train();
            progress.startEpoch(epoch);
            try (DataLoader<Batch> loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true)
                    .seed(Seeds.shuffleSeed(seed, epoch)).build()) {
                for (Batch b : loader) {
                    Tensor x = b.input().to(device);
                    Tensor m = b.target().to(device);
                    opt.zeroGrad();
                    Tensor logits = model.forward(x);
                    Tensor loss = F.binaryCrossEntropyWithLogits(logits, m);
                    if (diceWeight > 0) {
                        loss = loss.add(softDiceLoss(logits, m).mul(diceWeight));
                    }
                    loss.backward();
                    opt.step();
                    double l = loss.item();
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("unet: loss is " + l + " at epoch " + (epoch + 1));
                    }
                    progress.step(x.size(0), l);
                }
            }
            double[] eval = evaluate(model, test, device, 32);
            Progress.Summary s = progress.endEpoch(String.format(Locale.ROOT, "held-out Dice %.4f, IoU %.4f", eval[0],
                    eval[1]));
            history.add(epoch + 1, s.meanLoss(), eval[0], eval[1]);
            tb.epoch(history, model);
            // the epoch's outputs before its checkpoint: a checkpoint on disk means its epoch's outputs are too
            writeOutputs(model, test, device, history, out);
            from.save(parts, epoch + 1, history);
            epochsRun++;
            if (stopAt > 0 && eval[0] >= stopAt) {
                log.printf(Locale.ROOT, "held-out Dice %.4f >= %.4f: stopping after epoch %d%n", eval[0], stopAt,
                        epoch + 1);
                break;
            }
        }
        if (from.epoch() == epochs) {
            // a finished run resumed (killed after its last checkpoint, or outputs lost): write its outputs again
            writeOutputs(model, test, device, history, out);
        }
        tb.close();
        return new Result(epochsRun, history, from.file(), panels);
    }

    /** Writes {@code panels.png} (of the model as it is), {@code metrics.csv} and {@code curves.png}. */
    private static void writeOutputs(UNet model, TensorDataset test, Device device, History history, Path out)
            throws IOException {
        writePanels(model, test, device, out.resolve(PANELS_FILE));
        history.writeCsv(out.resolve("metrics.csv"));
        history.chart("U-Net on synthetic shapes", "value", out.resolve("curves.png"), "train_loss", "test_dice",
                "test_iou");
    }

    /** {@code 1 - (2 sum(p m) + 1) / (sum(p) + sum(m) + 1)} with {@code p = sigmoid(logits)}, over the whole batch. */
    static Tensor softDiceLoss(Tensor logits, Tensor mask) {
        Tensor p = logits.sigmoid();
        Tensor inter = p.mul(mask).sum();
        Tensor denom = p.sum().add(mask.sum()).add(1.0);
        return inter.mul(2).add(1.0).div(denom).rsub(1.0);
    }

    /**
     * Segments the held-out set in eval mode.
     *
     * @return {mean per-image Dice, mean per-image IoU} of the masks {@code logits > 0}
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static double[] evaluate(UNet model, TensorDataset test, Device device, int batch) {
        model.eval();
        Tensor images = test.tensor(0);
        Tensor masks = test.tensor(1);
        int n = images.size(0);
        double dice = 0;
        double iou = 0;
        try (var g = Autograd.noGrad()) {
            for (int i = 0; i < n; i += batch) {
                int len = Math.min(batch, n - i);
                Tensor pred = model.forward(images.narrow(0, i, len).to(device)).gt(0.0).to(Device.CPU);
                for (int k = 0; k < len; k++) {
                    Tensor p = pred.select(0, k);
                    Tensor t = masks.select(0, i + k);
                    dice += Metrics.dice(p, t);
                    iou += Metrics.iou(p, t);
                }
            }
        } finally {
            model.train();
        }
        return new double[] {dice / n, iou / n};
    }

    /** Input | predicted probability | true mask for the first 8 held-out images, two triplets per row, labelled. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static void writePanels(UNet model, TensorDataset test, Device device, Path file) throws IOException {
        int k = Math.min(8, test.size());
        Tensor x = test.tensor(0).narrow(0, 0, k);
        Tensor m = test.tensor(1).narrow(0, 0, k);
        Tensor prob;
        model.eval();
        try (var g = Autograd.noGrad()) {
            prob = model.forward(x.to(device)).sigmoid().to(Device.CPU);
        } finally {
            model.train();
        }
        List<Tensor> tiles = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            tiles.add(x.select(0, i));
            tiles.add(prob.select(0, i));
            tiles.add(m.select(0, i));
        }
        Plots.panels(tiles, List.of("input", "prediction", "mask"), 2, 1, file);
    }
}
