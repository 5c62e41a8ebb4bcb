package dev.kasane.examples.cgan;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.CheckpointParts;
import dev.kasane.examples.common.FidFmnistScore;
import dev.kasane.examples.common.Gans;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.Seeds;
import dev.kasane.nn.functional.GanLosses;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.io.Images;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A class-conditional GAN on Fashion-MNIST: {@link ConditionalGenerator} (class-conditional batch norm) against
 * {@link ProjectionDiscriminator} (spectral normalization, projection head), hinge losses
 * ({@link GanLosses#hingeDiscriminator}, {@link GanLosses#hingeGenerator}), Adam(2e-4, betas 0.5/0.999) for both,
 * batch 64, one discriminator and one generator step per batch, images scaled to [-1, 1], generated labels drawn
 * uniformly.
 *
 * <p>Outputs in {@code --out}: {@code samples-epochNNN.png} and {@code samples.png}, a 10x10 grid with one row per
 * class (top to bottom: T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot) and one
 * fixed latent vector per column; {@code losses.png} and {@code losses.csv}; {@code checkpoint.safetensors} after
 * each epoch ({@code --resume}). At the end it reports FID-FMNIST, IS-FMNIST and precision/recall
 * ({@code --fid-samples} generated images, classes in equal numbers, against as many test images; not FID, see
 * README).
 */
public final class CganExample {
    /** Name under Main. */
    public static final String NAME = "cgan";
    /** Latent size. */
    public static final int LATENT = 128;
    /** Classes of Fashion-MNIST. */
    public static final int CLASSES = FashionMNIST.CLASSES.size();

    private CganExample() {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(CganExample::parser, CganExample::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "class-conditional GAN on Fashion-MNIST (hinge, SN projection D, conditional BN G): a row per class, FID-FMNIST",
                """
                Class-conditional GAN on Fashion-MNIST: generator with class-conditional batch norm, \
                discriminator with spectral normalization and a projection head, hinge loss. After each epoch \
                a grid with one row per class is written to <out>/samples-epochNNN.png; at the end FID-FMNIST \
                (not FID) is reported.""")
                .set("epochs", "3")
                .set("batch-size", "64")
                .set("lr", "2e-4")
                .option(FidFmnistScore.OPTION, "N", "generated images for FID-FMNIST, IS-FMNIST and precision/recall at the end "
                        + "(0: skip)", "10000")
                .examples("cgan --epochs 3 --out out/cgan", "cgan --epochs 5 --resume --out out/cgan",
                        "cgan --limit 128 --epochs 1 --fid-samples 64  (smoke test)");
    }

    /**
     * Trains as the arguments say, logging to {@code log}; the history's columns are epoch, d_loss, g_loss, d_real
     * and d_fake (mean logits).
     */
    public static Gans.Result run(Args args, PrintStream log) throws IOException {
        int fidSamples = FidFmnistScore.samples(args);
        int epochs = args.epochs();
        int batchSize = args.batchSize();
        Path out = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        RunStart from = RunStart.of(args, Checkpoint.file(out), null, epochs, "epoch", log);
        long seed = from.seed();

        Generator.seedGlobal(seed);
        ConditionalGenerator g = new ConditionalGenerator(LATENT, CLASSES);
        ProjectionDiscriminator d = new ProjectionDiscriminator(CLASSES);
        g.to(device);
        d.to(device);
        Adam optG = new Adam(g.parameters(), Adam.options().lr(args.lr()).betas(0.5, 0.999));
        Adam optD = new Adam(d.parameters(), Adam.options().lr(args.lr()).betas(0.5, 0.999));
        CheckpointParts parts = new CheckpointParts().add("generator", g).add("discriminator", d).add("optG", optG)
                .add("optD", optD);
        History history = from.restore(parts, new History("epoch", "d_loss", "g_loss", "d_real", "d_fake"));
        // the grid: one row per class, one latent vector per column (a function of the seed alone)
        Tensor columnZ = Tensor.normal(new Generator(Seeds.derive(seed, -1)), 0, 1, DType.F32, Device.CPU, CLASSES, LATENT);
        Tensor gridZ = columnZ.repeat(CLASSES, 1).to(device);
        Tensor gridLabels = classesInTurn(CLASSES * CLASSES, true).to(device);

        TensorDataset train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.5, 0.5).dataset();
        int stepsPerEpoch = train.size() / batchSize;
        if (stepsPerEpoch == 0) {
            throw args.error("--batch-size " + batchSize + " is larger than the " + train.size() + " training images");
        }
        log.printf(Locale.ROOT, "%s: hinge loss, SN projection discriminator, conditional-BN generator; %d training images, "
                + "%d steps/epoch, lr %.0e, device %s%n", NAME, train.size(), stepsPerEpoch, args.lr(), device);
        log.printf(Locale.ROOT, "generator %,d parameters, discriminator %,d parameters%n", g.numParameters(), d.numParameters());

        int epochsRun = from.runEpochs(args, epochs, stepsPerEpoch, log, (epoch, progress, tb) -> {
            Generator noise = Seeds.generator(seed, epoch, 0);
            double[] sums = new double[4];
            g.train();
            d.train();
            int step = 0;
            try (DataLoader<Batch> loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true)
                    .seed(Seeds.shuffleSeed(seed, epoch)).dropLast(true).build()) {
                for (Batch batch : loader) {
                    double[] s = trainStep(g, d, optG, optD, batch.input().to(device), batch.target().to(device), noise);
                    if (!Double.isFinite(s[0]) || !Double.isFinite(s[1])) {
                        throw new IllegalStateException(String.format(Locale.ROOT,
                                "cgan: loss diverged at epoch %d step %d (D %s, G %s)", epoch + 1, step + 1, s[0], s[1]));
                    }
                    for (int i = 0; i < 4; i++) {
                        sums[i] += s[i];
                    }
                    step++;
                    progress.step(batch.batchSize(), s[0]);
                }
            }
            history.add(epoch + 1, sums[0] / step, sums[1] / step, sums[2] / step, sums[3] / step);
            tb.epoch(history, g);
            Path grid = writeOutputs(g, gridZ, gridLabels, history, out);
            from.save(parts, epoch + 1, history);
            progress.endEpoch(String.format(Locale.ROOT, "D loss %.4f, G loss %.4f, D(x) %.3f, D(G(z)) %.3f, samples %s",
                    sums[0] / step, sums[1] / step, sums[2] / step, sums[3] / step, grid.getFileName()));
        }, () -> writeOutputs(g, gridZ, gridLabels, history, out));
        double fid = Double.NaN;
        if (fidSamples > 0) {
            fid = FidFmnistScore.report(generate(g, fidSamples, new Generator(Seeds.derive(seed, -2)), device),
                    args.dataDir(), log).fid();
        }
        return new Gans.Result(epochsRun, history, from.file(), Gans.samplesFile(out, history), fid);
    }

    /**
     * One discriminator step (hinge loss on real images with their labels and fakes of random labels) and one
     * generator step; returns {D loss, G loss, mean D(x), mean D(G(z))}.
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static double[] trainStep(ConditionalGenerator g, ProjectionDiscriminator d, Adam optG, Adam optD, Tensor real,
                                      Tensor labels, Generator noise) {
        int n = real.size(0);
        Tensor fakeLabels = Tensor.randint(noise, 0, CLASSES, real.device(), n);
        Tensor z = Tensor.normal(noise, 0, 1, DType.F32, real.device(), n, LATENT);
        Tensor fake;
        try (var ng = Autograd.noGrad()) {
            fake = g.forward(z, fakeLabels);
        }
        optD.zeroGrad();
        Tensor outReal = d.forward(real, labels);
        Tensor outFake = d.forward(fake, fakeLabels);
        Tensor lossD = GanLosses.hingeDiscriminator(outReal, outFake);
        lossD.backward();
        optD.step();

        Tensor lossG = Gans.generatorStep(d, optG,
                () -> GanLosses.hingeGenerator(d.forward(g.forward(z, fakeLabels), fakeLabels)));
        return new double[] {lossD.item(), lossG.item(), outReal.detach().mean().item(), outFake.detach().mean().item()};
    }

    /** Class indices [n]: 0, 1, ..., 9, 0, 1, ... ({@code grouped} false) or 0 x10, 1 x10, ... ({@code grouped}). */
    private static Tensor classesInTurn(int n, boolean grouped) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = grouped ? i / (n / CLASSES) : i % CLASSES;
        }
        return Tensor.of(l, n);
    }

    /** {@code n} images in eval mode, classes in turn, on the CPU. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static Tensor generate(ConditionalGenerator g, int n, Generator noise, Device device) {
        List<Tensor> parts = new ArrayList<>();
        Tensor labels = classesInTurn(n, false);
        g.eval();
        try (var ng = Autograd.noGrad()) {
            for (int start = 0; start < n; start += 500) {
                int m = Math.min(500, n - start);
                Tensor z = Tensor.normal(noise, 0, 1, DType.F32, device, m, LATENT);
                parts.add(g.forward(z, labels.narrow(0, start, m).to(device)).to(Device.CPU));
            }
        } finally {
            g.train();
        }
        return Tensor.cat(parts, 0);
    }

    /** Writes the epoch's grid (and {@code samples.png}), {@code losses.csv} and {@code losses.png}; returns the grid. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static Path writeOutputs(ConditionalGenerator g, Tensor z, Tensor labels, History history, Path out)
            throws IOException {
        Tensor samples;
        g.eval();
        try (var ng = Autograd.noGrad()) {
            samples = g.forward(z, labels).to(Device.CPU);
        } finally {
            g.train();
        }
        Path grid = Gans.samplesFile(out, history);
        // [-1, 1] to [0, 1] with a fixed map (not min-max), so grids of different epochs compare
        Images.saveImageGrid(samples.add(1).div(2).clamp(0, 1), grid, CLASSES, false);
        Images.saveImageGrid(samples.add(1).div(2).clamp(0, 1), out.resolve("samples.png"), CLASSES, false);
        history.writeCsv(out.resolve("losses.csv"));
        history.chart("Conditional GAN (hinge, SN projection D) on Fashion-MNIST", "mean loss per epoch",
                out.resolve("losses.png"), "d_loss", "g_loss");
        return grid;
    }
}
