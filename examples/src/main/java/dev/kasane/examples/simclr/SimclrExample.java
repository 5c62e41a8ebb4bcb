package dev.kasane.examples.simclr;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.CheckpointParts;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.Seeds;
import dev.kasane.examples.common.TextFiles;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.LARS;
import dev.kasane.optim.Optimizer;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.models.SimCLR;
import dev.kasane.vision.transforms.Augmentations;
import dev.kasane.vision.transforms.Transform;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * SimCLR (Chen et al. 2020) on Fashion-MNIST without labels, then linear evaluation.
 *
 * <p><b>Pre-training</b>: a small CNN encoder ({@link Encoder28}, features of size 4w) and a projection head
 * (Linear - ReLU - Linear to 64) see two augmented views of every image of a batch
 * ({@link Augmentations#simclr}: random resized crop with area 0.2 to 1, flip, colour jitter of strength
 * {@code --jitter} with probability 0.8, which on these gray images means brightness and contrast, and random
 * grayscale, which leaves them unchanged), both views in one forward pass, NT-Xent loss at temperature
 * {@code --temperature}; Adam, or LARS with {@code --optimizer lars} (biases and BatchNorm parameters left out of
 * the adaptation and weight decay, lr {@code 0.3 * batch / 256} unless {@code --lr} is given).
 *
 * <p><b>Evaluation</b> on the test set, three encoders of the same architecture, each probed the same way
 * ({@link LinearProbe}: a logistic regression on frozen, standardised features, {@code --probe-epochs} epochs): the
 * SimCLR encoder, a randomly initialised one (the same initialisation before pre-training), and as the upper
 * reference the encoder trained with labels (encoder + linear layer, cross entropy, {@code --supervised-epochs}
 * epochs, no augmentation) whose own test accuracy is reported too.
 *
 * <p>Outputs in {@code --out}: {@code views.png} (8 images, first and second views below them), {@code losses.csv}
 * and {@code losses.png} (NT-Xent per epoch), {@code results.csv} (the table), {@code encoder.safetensors} (the
 * SimCLR encoder's weights) and {@code checkpoint.safetensors} after every pre-training epoch ({@code --resume}
 * continues with the next epoch; the evaluation is rerun at the end).
 */
public final class SimclrExample {
    /** The name in {@code Main} and in checkpoints. */
    public static final String NAME = "simclr";
    /** File of the SimCLR encoder's weights. */
    public static final String ENCODER_FILE = "encoder.safetensors";
    /** The size of the projection z. */
    public static final int PROJECTION_DIM = 64;
    private static final String DEFAULT_LR = "1e-3";

    private SimclrExample() {
    }

    /**
     * What a run measured.
     *
     * @param history pre-training loss per epoch (epoch, ntxent, epoch_seconds, img_per_s)
     * @param simclrProbe test accuracy of the linear probe on the SimCLR features
     * @param randomProbe test accuracy of the linear probe on the randomly initialised encoder's features
     * @param supervisedProbe test accuracy of the linear probe on the supervised encoder's features
     * @param supervised test accuracy of the supervised network itself
     * @param epochsRun pre-training epochs run by this invocation
     */
    public record Result(History history, double simclrProbe, double randomProbe, double supervisedProbe,
                         double supervised, int epochsRun) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(SimclrExample::parser, SimclrExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "SimCLR on Fashion-MNIST without labels; linear probes vs random and supervised encoders",
                "SimCLR on Fashion-MNIST without labels (two augmented views per image, NT-Xent), then "
                        + "linear probes on frozen features:\nSimCLR encoder vs randomly initialised encoder vs "
                        + "supervised training of the same encoder. Writes views.png, losses.png/.csv,\nresults.csv, "
                        + ENCODER_FILE + " and checkpoint.safetensors to --out.")
                .set("epochs", "5")
                .set("batch-size", "256")
                .set("lr", DEFAULT_LR)
                .option("optimizer", "NAME", "adam or lars (lars: lr 0.3 * batch / 256 unless --lr is changed)", "adam")
                .option("temperature", "T", "NT-Xent temperature", "0.5")
                .option("width", "W", "encoder width: channels W, 2W, 4W; features of size 4W", "32")
                .option("jitter", "S", "colour-jitter strength s (brightness and contrast 0.8 s)", "0.5")
                .option("scale-min", "X", "smallest area fraction of the random resized crop", "0.2")
                .option("probe-epochs", "N", "epochs of the linear probes", "20")
                .option("supervised-epochs", "N", "epochs of the supervised reference (0 = skip it)", "3")
                .option("test-limit", "N", "use only the first N test images, 0 = all", "0")
                .examples("simclr --limit 10000 --epochs 5 --out out/simclr",
                        "simclr --limit 10000 --epochs 8 --out out/simclr --resume   (continues with epoch 6)",
                        "simclr --limit 256 --epochs 1 --probe-epochs 2  (smoke test)");
    }

    /** Runs the example, printing its progress and results to {@code log}. */
    public static Result run(Args args, PrintStream log) throws IOException {
        String optimizer = args.get("optimizer");
        if (!optimizer.equals("adam") && !optimizer.equals("lars")) {
            throw args.error("--optimizer must be adam or lars, got " + optimizer);
        }
        double temperature = args.getDouble("temperature");
        int width = args.getInt("width");
        if (width < 1) {
            throw args.error("--width must be >= 1, got " + width);
        }
        int batchSize = args.batchSize();
        int epochs = args.epochs();
        double lr = optimizer.equals("lars") && args.get("lr").equals(DEFAULT_LR) ? 0.3 * batchSize / 256 : args.lr();
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        RunStart from = RunStart.of(args, Checkpoint.file(dir), optimizer, epochs, "epoch", log);
        long seed = from.seed();

        // images in [0, 1]: the augmentations' range (BatchNorm after the first convolution does the scaling)
        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0, 1);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, args.getInt("test-limit"), 0, 1);
        // converted once: the pre-training, the probes and the supervised reference all read these
        Tensor trainImages = train.images();
        Tensor testImages = test.images();
        TensorDataset trainSet = new TensorDataset(trainImages, train.labels());
        int steps = trainSet.size() / batchSize;
        if (steps == 0) {
            throw args.error("--batch-size " + batchSize + " is larger than the " + trainSet.size() + " training images");
        }
        log.printf(Locale.ROOT, "%s: %d training images (labels unused), %d test images, %d steps/epoch, %s lr %.3g, "
                        + "temperature %.2f, device %s%n", NAME, train.size(), test.size(), steps, optimizer, lr,
                temperature, device);

        Generator.seedGlobal(seed);
        SimCLR model = new SimCLR(new Encoder28(width), Encoder28.featureDim(width), Encoder28.featureDim(width),
                PROJECTION_DIM);
        Module randomEncoder = new Encoder28(width);
        randomEncoder.loadStateDict(model.encoder().stateDict(), true);
        model.to(device);
        Optimizer<?> opt = optimizer.equals("lars")
                ? new LARS(LARS.groupsExcludingVectors(model.parameters()), LARS.options().lr(lr).weightDecay(1e-6))
                : new Adam(model.parameters(), lr);
        CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
        History history = from.restore(parts, new History("epoch", "ntxent", "epoch_seconds", "img_per_s"));
        log.printf(Locale.ROOT, "encoder %,d parameters, projection head %,d%n", model.encoder().numParameters(),
                model.projector().numParameters());

        Transform augment = Augmentations.simclr(28, args.getDouble("scale-min"), args.getDouble("jitter"), false,
                new Generator(Seeds.derive(seed, -1)));
        writeViews(trainImages.narrow(0, 0, 8), augment, dir.resolve("views.png"));

        int epochsRun = from.runEpochs(args, epochs, steps, log, (epoch, progress, tb) -> {
            Transform epochAugment = Augmentations.simclr(28, args.getDouble("scale-min"), args.getDouble("jitter"),
                    false, Seeds.generator(seed, epoch, 0));
            model.train();
            try (DataLoader<Batch> loader = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(true)
                    .seed(Seeds.shuffleSeed(seed, epoch)).dropLast(true).build()) {
                for (Batch b : loader) {
                    Tensor[] views = Augmentations.twoViews(b.input(), epochAugment);
                    int n = views[0].size(0);
                    opt.zeroGrad();
                    Tensor z = model.forward(Tensor.cat(List.of(views[0], views[1]), 0).to(device));
                    Tensor loss = F.ntXent(z.narrow(0, 0, n), z.narrow(0, n, n), temperature);
                    loss.backward();
                    opt.step();
                    double v = loss.item();
                    if (!Double.isFinite(v)) {
                        throw new IllegalStateException("simclr: the loss diverged at epoch " + (epoch + 1) + ": " + v);
                    }
                    progress.step(n, v);
                }
            }
            Progress.Summary s = progress.stopEpoch();
            progress.printSummary(s, "");
            history.add(epoch + 1, s.meanLoss(), s.seconds(), s.throughput());
            tb.epoch(history, model);
            writeLosses(history, dir);
            from.save(parts, epoch + 1, history);
        }, () -> writeLosses(history, dir));
        Safetensors.save(model.encoder().stateDict(), dir.resolve(ENCODER_FILE));

        int probeEpochs = args.getInt("probe-epochs");
        int classes = train.classes().size();
        long probeSeed = Seeds.derive(seed, -2);
        log.println("linear probes on frozen features (" + probeEpochs + " epochs each) ...");
        double simclr = LinearProbe.accuracy(model.encoder(), trainImages, train.labels(), testImages,
                test.labels(), classes, probeEpochs, probeSeed, device);
        randomEncoder.to(device);
        double random = LinearProbe.accuracy(randomEncoder, trainImages, train.labels(), testImages,
                test.labels(), classes, probeEpochs, probeSeed, device);
        int supervisedEpochs = args.getInt("supervised-epochs");
        double supervisedProbe = Double.NaN;
        double supervised = Double.NaN;
        if (supervisedEpochs > 0) {
            Generator.seedGlobal(Seeds.derive(seed, -3));
            Encoder28 encoder = new Encoder28(width);
            Sequential net = new Sequential(encoder, new Linear(Encoder28.featureDim(width), classes));
            net.to(device);
            Adam sup = new Adam(net.parameters(), 1e-3);
            log.println("supervised reference (" + supervisedEpochs + " epochs with labels) ...");
            Progress p = new Progress(supervisedEpochs, (trainSet.size() + batchSize - 1) / batchSize)
                    .logEvery(args.logEvery()).output(log);
            for (int e = 0; e < supervisedEpochs; e++) {
                net.train();
                p.startEpoch(e);
                Classifiers.trainEpoch(net, sup, trainSet, batchSize, Seeds.derive(seed, -4, e), device, null, p);
                p.printSummary(p.stopEpoch(), "");
            }
            supervised = Classifiers.evaluate(net, new TensorDataset(testImages, test.labels()), 1000, device, null, null).accuracy();
            supervisedProbe = LinearProbe.accuracy(encoder, trainImages, train.labels(), testImages,
                    test.labels(), classes, probeEpochs, probeSeed, device);
        }
        String table = table(epochs, supervisedEpochs, simclr, random, supervisedProbe, supervised);
        TextFiles.write(dir.resolve("results.csv"), table);
        log.print(table.replace(',', '\t'));
        log.println("outputs in " + dir.toAbsolutePath());
        return new Result(history, simclr, random, supervisedProbe, supervised, epochsRun);
    }

    private static String table(int epochs, int supervisedEpochs, double simclr, double random, double supervisedProbe,
                                double supervised) {
        StringBuilder sb = new StringBuilder("encoder,training,linear_probe_test_acc\n");
        sb.append(String.format(Locale.ROOT, "simclr,%d epochs without labels,%.4f%n", epochs, simclr));
        sb.append(String.format(Locale.ROOT, "random,none,%.4f%n", random));
        if (supervisedEpochs > 0) {
            sb.append(String.format(Locale.ROOT, "supervised,%d epochs with labels,%.4f%n", supervisedEpochs,
                    supervisedProbe));
            sb.append(String.format(Locale.ROOT, "supervised (its own head),%d epochs with labels,%.4f%n",
                    supervisedEpochs, supervised));
        }
        return sb.toString();
    }

    private static void writeLosses(History history, Path dir) throws IOException {
        history.writeCsv(dir.resolve("losses.csv"));
        history.chart("SimCLR on Fashion-MNIST", "mean NT-Xent loss per epoch", dir.resolve("losses.png"), "ntxent");
    }

    /** A grid of the images (top row) and two augmented views of each (rows below). */
    private static void writeViews(Tensor images, Transform augment, Path file) throws IOException {
        Tensor[] views = Augmentations.twoViews(images, augment);
        Images.saveImageGrid(Tensor.cat(List.of(images, views[0], views[1]), 0), file, images.size(0), false);
    }
}
