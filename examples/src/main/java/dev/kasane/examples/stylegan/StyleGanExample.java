package dev.kasane.examples.stylegan;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.CheckpointParts;
import dev.kasane.examples.common.Gans;
import dev.kasane.examples.common.FidFmnistScore;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.Seeds;
import dev.kasane.nn.EMA;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.models.StyleDiscriminator;
import dev.kasane.vision.models.StyleGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small StyleGAN2-style generator ({@link StyleGenerator}: mapping network, modulated convolutions, noise inputs,
 * toRGB skips) against a residual {@link StyleDiscriminator} with minibatch standard deviation, on Fashion-MNIST padded
 * from 28x28 to 32x32 (with the background value) and scaled to [-1, 1].
 *
 * <p>Training as StyleGAN2, shortened: the non-saturating logistic loss ({@code softplus}), an R1 penalty on real
 * images ({@code gamma / 2 * E ||grad_x D(x)||^2}) every {@code --r1-every} discriminator steps (lazy
 * regularization: its weight multiplied by that interval), style-mixing regularization (with probability
 * {@code --mixing}, the generator's layers take their w from two latents with a random crossover), Adam(2e-3, betas
 * 0/0.99), and sample grids from an exponential moving average of the generator's weights (decay
 * {@code --ema-decay}; the library's {@link EMA}). Not included: path length regularization, the blur filters and
 * lazy regularization's Adam adjustment.
 *
 * <p>Outputs in {@code --out}, from the averaged generator with fixed latents and fixed noise: {@code samples.png}
 * (8x8, truncation 1.0), {@code samples-trunc0.7.png} (the same latents, truncation 0.7: pulled towards the mean w,
 * less varied and cleaner), {@code mixing.png} (style mixing: the top row and the left column are images from two
 * sets of latents, each inner image takes its coarse styles (4x4 and 8x8 layers) from its row and the fine ones from
 * its column), {@code samples-epochNNN.png} per epoch, {@code losses.png}, {@code losses.csv}, and
 * {@code checkpoint.safetensors} (both nets, the averaged generator, both optimizers, epoch, history); {@code --resume}
 * continues from it. At the end it reports FID-FMNIST, IS-FMNIST and precision/recall of {@code --fid-samples}
 * images of the averaged generator against as many test images (not FID: see README).
 */
public final class StyleGanExample {
    /** Name under Main. */
    public static final String NAME = "stylegan";
    /** Samples in the grids (8x8). */
    public static final int GRID = 64;
    /** Latents per side of the style-mixing grid. */
    public static final int MIX = 6;
    /** Styles taken from the row's latent in the mixing grid: the 4x4 and 8x8 layers. */
    public static final int COARSE = 4;

    private StyleGanExample() {
    }

    /**
     * What one run did.
     *
     * @param epochsRun epochs trained by this call (not counting those before a resume)
     * @param history per-epoch means from epoch 1: epoch, d_loss, g_loss, r1, d_real, d_fake (mean logits)
     * @param checkpoint the checkpoint file
     */
    public record Result(int epochsRun, History history, Path checkpoint, double fid) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(StyleGanExample::parser, StyleGanExample::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "A small StyleGAN2-style generator on Fashion-MNIST at 32x32: grids at truncation 1.0 and 0.7, style mixing",
                """
                A small StyleGAN2-style generator on Fashion-MNIST padded to 32x32: mapping network, \
                modulated convolutions, noise inputs, toRGB skips; residual discriminator with minibatch \
                stddev; logistic loss, lazy R1, style-mixing regularization, EMA generator. Writes grids at \
                truncation 1.0 and 0.7 and a style-mixing grid.""")
                .set("epochs", "3")
                .set("batch-size", "32")
                .set("lr", "2e-3")
                .set("limit", "6000")
                .option("z-dim", "N", "latent z size", "64")
                .option("w-dim", "N", "latent w size", "64")
                .option("mapping-layers", "N", "layers of the mapping network (8 in StyleGAN)", "4")
                .option("channels", "LIST", "widths at 4x4,8x8,16x16,32x32", "64,64,32,16")
                .option(FidFmnistScore.OPTION, "N", "images of the EMA generator for FID-FMNIST, IS-FMNIST, precision/recall (0: skip)",
                        "10000")
                .option("r1-gamma", "X", "R1 penalty weight gamma (0 = none)", "1")
                .option("r1-every", "N", "discriminator steps between R1 penalties (lazy regularization)", "4")
                .option("mixing", "P", "style-mixing probability in generator steps", "0.9")
                .option("ema-decay", "X", "decay of the generator's weight average", "0.995")
                .examples("stylegan --epochs 3 --out out/stylegan", "stylegan --epochs 5 --resume --out out/stylegan",
                        "stylegan --limit 64 --epochs 1 --channels 8,8,4,4  (smoke test)");
    }

    /** The hyperparameters of the losses. */
    private record Regularization(double r1Gamma, int r1Every, double mixing) {
    }

    /**
     * Trains as the arguments say.
     *
     * @param args parsed by {@link #parser()}
     * @param log where progress goes
     */
    public static Result run(Args args, PrintStream log) throws IOException {
        int zDim = args.getInt("z-dim");
        int wDim = args.getInt("w-dim");
        int mappingLayers = args.getInt("mapping-layers");
        int[] channels = parseChannels(args);
        Regularization reg = new Regularization(args.getDouble("r1-gamma"), args.getInt("r1-every"), args.getDouble("mixing"));
        double emaDecay = args.getDouble("ema-decay");
        if (zDim < 1 || wDim < 1 || mappingLayers < 1 || reg.r1Every() < 1 || reg.r1Gamma() < 0 || !(reg.mixing() >= 0
                && reg.mixing() <= 1) || !(emaDecay >= 0 && emaDecay < 1)) {
            throw args.error("expected --z-dim, --w-dim, --mapping-layers, --r1-every >= 1, --r1-gamma >= 0, --mixing in "
                    + "[0, 1] and --ema-decay in [0, 1)");
        }
        int epochs = args.epochs();
        int batchSize = args.batchSize();
        int fidSamples = FidFmnistScore.samples(args);
        Path out = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        RunStart from = RunStart.of(args, Checkpoint.file(out), null, epochs, "epoch", log);
        long seed = from.seed();

        Generator.seedGlobal(seed);
        StyleGenerator g = new StyleGenerator(zDim, wDim, mappingLayers, 1, channels);
        StyleGenerator gEma = new StyleGenerator(zDim, wDim, mappingLayers, 1, channels);
        StyleDiscriminator d = new StyleDiscriminator(1, 4, channels);
        g.to(device);
        gEma.to(device);
        d.to(device);
        gEma.eval();
        EMA ema = new EMA(g, gEma, emaDecay); // gEma starts as a copy of g; a resumed run restores it below
        Adam optG = new Adam(g.parameters(), Adam.options().lr(args.lr()).betas(0, 0.99));
        Adam optD = new Adam(d.parameters(), Adam.options().lr(args.lr()).betas(0, 0.99));
        CheckpointParts parts = new CheckpointParts().add("generator", g).add("generator_ema", gEma)
                .add("discriminator", d).add("optG", optG).add("optD", optD);
        History history = from.restore(parts, new History("epoch", "d_loss", "g_loss", "r1", "d_real", "d_fake"));
        // Fixed latents and noise for every grid: functions of the seed alone, so a resumed run uses the same.
        Generator fixed = new Generator(Seeds.derive(seed, -1));
        Tensor zGrid = Tensor.normal(fixed, 0, 1, DType.F32, Device.CPU, GRID, zDim).to(device);
        Tensor zRows = Tensor.normal(fixed, 0, 1, DType.F32, Device.CPU, MIX, zDim).to(device);
        Tensor zColumns = Tensor.normal(fixed, 0, 1, DType.F32, Device.CPU, MIX, zDim).to(device);
        List<Tensor> noiseGrid = toDevice(g.noise(GRID, fixed), device);

        // Fashion-MNIST in [-1, 1], padded 28 -> 32 with the background value -1.
        Tensor train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.5, 0.5).images()
                .pad(new int[] {2, 2, 2, 2}, PadMode.CONSTANT, -1).to(device);
        int stepsPerEpoch = train.size(0) / batchSize;
        if (stepsPerEpoch == 0 || batchSize % Math.min(4, batchSize) != 0) {
            throw args.error("--batch-size " + batchSize + " must be at most the " + train.size(0) + " training images"
                    + " and a multiple of the minibatch-stddev group 4 (or below 4)");
        }
        log.printf(Locale.ROOT, "%s: %d images (32x32), %d steps/epoch, batch %d, lr %.0e, R1 gamma %.3g every %d, mixing "
                        + "%.2f, EMA %.4f, device %s%n", NAME, train.size(0), stepsPerEpoch, batchSize, args.lr(), reg.r1Gamma(),
                reg.r1Every(), reg.mixing(), emaDecay, device);
        log.printf(Locale.ROOT, "generator %,d parameters (%d ws, %d noise inputs), discriminator %,d parameters%n",
                g.numParameters(), g.numWs(), g.numNoises(), d.numParameters());

        int epochsRun = from.runEpochs(args, epochs, stepsPerEpoch, log, (epoch, progress, tb) -> {
            Generator noise = Seeds.generator(seed, epoch, 0);
            Tensor order = Tensor.randperm(Seeds.generator(seed, epoch, 1), train.size(0), device);
            double[] sums = new double[5];
            int r1Count = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                Tensor real = train.indexSelect(0, order.narrow(0, step * batchSize, batchSize));
                boolean r1 = reg.r1Gamma() > 0 && (epoch * stepsPerEpoch + step) % reg.r1Every() == 0;
                double[] dOut = discriminatorStep(g, d, optD, real, noise, reg, r1, zDim);
                double lossG = generatorStep(g, d, optG, batchSize, noise, reg, zDim, device);
                ema.update();
                if (!Double.isFinite(dOut[0]) || !Double.isFinite(lossG)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "stylegan: loss diverged at epoch %d step %d "
                            + "(D %s, G %s)", epoch + 1, step + 1, dOut[0], lossG));
                }
                sums[0] += dOut[0];
                sums[1] += lossG;
                sums[3] += dOut[2];
                sums[4] += dOut[3];
                if (r1) {
                    sums[2] += dOut[1];
                    r1Count++;
                }
                progress.step(batchSize, dOut[0]);
                int n = step + 1;
                if (!progress.isInteractive() && (n % args.logEvery() == 0 || n == stepsPerEpoch)) {
                    log.printf(Locale.ROOT, "    D loss %.4f  G loss %.4f  R1 %.4f  D(x) %.3f  D(G(z)) %.3f%n", sums[0] / n,
                            sums[1] / n, r1Count == 0 ? 0 : sums[2] / r1Count, sums[3] / n, sums[4] / n);
                }
            }
            int n = stepsPerEpoch;
            history.add(epoch + 1, sums[0] / n, sums[1] / n, r1Count == 0 ? 0 : sums[2] / r1Count, sums[3] / n, sums[4] / n);
            tb.epoch(history, g);
            Path grid = writeOutputs(gEma, zGrid, noiseGrid, zRows, zColumns, history, out);
            from.save(parts, epoch + 1, history);
            progress.endEpoch(String.format(Locale.ROOT, "D loss %.4f, G loss %.4f, samples %s", sums[0] / n, sums[1] / n,
                    grid.getFileName()));
        }, () -> writeOutputs(gEma, zGrid, noiseGrid, zRows, zColumns, history, out));
        double fid = Double.NaN;
        if (fidSamples > 0) {
            fid = FidFmnistScore.report(fidImages(gEma, fidSamples, new Generator(Seeds.derive(seed, -2)), zDim, device),
                    args.dataDir(), log).fid();
        }
        return new Result(epochsRun, history, from.file(), fid);
    }

    /**
     * {@code n} images of the EMA generator for FID-FMNIST: truncation 1, fresh latents and noise from {@code gen},
     * cropped 32 -> 28 (the inverse of the training data's padding), clamped to [-1, 1], on the CPU.
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static Tensor fidImages(StyleGenerator gEma, int n, Generator gen, int zDim, Device device) {
        List<Tensor> parts = new ArrayList<>();
        try (var ng = Autograd.noGrad()) {
            for (int start = 0; start < n; start += 500) {
                int m = Math.min(500, n - start);
                Tensor z = Tensor.normal(gen, 0, 1, DType.F32, device, m, zDim);
                Tensor x = gEma.synthesis(gEma.styles(z, 1), toDevice(gEma.noise(m, gen), device));
                parts.add(x.narrow(2, 2, 28).narrow(3, 2, 28).clamp(-1, 1).to(Device.CPU));
            }
        }
        return Tensor.cat(parts, 0);
    }

    private static int[] parseChannels(Args args) {
        String[] parts = args.get("channels").split(",");
        int[] c = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                c[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw args.error("--channels must be four comma-separated widths (4x4,8x8,16x16,32x32), got '" + args.get("channels") + "'");
        }
        if (c.length != 4 || java.util.Arrays.stream(c).anyMatch(v -> v < 1)) {
            throw args.error("--channels must be four positive widths (4x4,8x8,16x16,32x32), got '" + args.get("channels") + "'");
        }
        return c;
    }

    private static List<Tensor> toDevice(List<Tensor> ts, Device device) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.to(device));
        }
        return out;
    }

    /**
     * Training styles for a batch: one latent's w for every layer, or, with probability {@code mixing}, two latents'
     * with a random crossover layer (style-mixing regularization).
     */
    private static Tensor trainingStyles(StyleGenerator g, int n, Generator noise, double mixing, int zDim, Device device) {
        Tensor ws = g.styles(Tensor.normal(noise, 0, 1, DType.F32, device, n, zDim), 1);
        if (noise.nextDouble() < mixing) {
            int crossover = 1 + (int) noise.nextLong(g.numWs() - 1);
            ws = g.mix(ws, g.styles(Tensor.normal(noise, 0, 1, DType.F32, device, n, zDim), 1), crossover);
        }
        return ws;
    }

    /**
     * One discriminator step: softplus(D(fake)) + softplus(-D(real)), plus (when {@code r1}) the lazy R1 penalty
     * {@code r1Every * gamma / 2 * mean ||grad_x D(x)||^2} on the real batch. Returns {loss, R1 term, mean D(x),
     * mean D(G(z))} (logits).
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static double[] discriminatorStep(StyleGenerator g, StyleDiscriminator d, Adam optD, Tensor real, Generator noise,
                                              Regularization reg, boolean r1, int zDim) {
        int n = real.size(0);
        Tensor fake;
        try (var ng = Autograd.noGrad()) {
            fake = g.synthesis(trainingStyles(g, n, noise, reg.mixing(), zDim, real.device()), null);
        }
        optD.zeroGrad();
        Tensor x = r1 ? real.detach().requiresGrad(true) : real;
        Tensor outReal = d.forward(x);
        Tensor outFake = d.forward(fake);
        Tensor loss = F.softplus(outFake, 1, 20).mean().add(F.softplus(outReal.neg(), 1, 20).mean());
        double penalty = 0;
        if (r1) {
            Tensor grad = Autograd.grad(List.of(outReal.sum()), List.of(x), null, true, true, false)[0];
            Tensor r1Term = grad.square().sum(new int[] {1, 2, 3}, false).mean().mul(reg.r1Gamma() / 2 * reg.r1Every());
            loss = loss.add(r1Term);
            penalty = r1Term.item();
        }
        loss.backward();
        optD.step();
        return new double[] {loss.item(), penalty, outReal.detach().mean().item(), outFake.detach().mean().item()};
    }

    /** One generator step, softplus(-D(G(z))) with style mixing; the discriminator is frozen meanwhile. */
    private static double generatorStep(StyleGenerator g, StyleDiscriminator d, Adam optG, int n, Generator noise,
                                        Regularization reg, int zDim, Device device) {
        return Gans.generatorStep(d, optG, () -> F.softplus(d.forward(g.synthesis(trainingStyles(g, n, noise,
                reg.mixing(), zDim, device), null)).neg(), 1, 20).mean()).item();
    }

    /** The three grids (and this epoch's copy of the first), losses.csv and losses.png; returns the epoch's grid. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static Path writeOutputs(StyleGenerator gEma, Tensor zGrid, List<Tensor> noiseGrid, Tensor zRows, Tensor zColumns,
                                     History history, Path out) throws IOException {
        Path epochGrid = out.resolve(String.format(Locale.ROOT, "samples-epoch%03d.png", (int) history.last("epoch")));
        try (var ng = Autograd.noGrad()) {
            Tensor plain = images(gEma.synthesis(gEma.styles(zGrid, 1), noiseGrid));
            Images.saveImageGrid(plain, epochGrid, 8, false);
            Images.saveImageGrid(plain, out.resolve("samples.png"), 8, false);
            Images.saveImageGrid(images(gEma.synthesis(gEma.styles(zGrid, 0.7), noiseGrid)), out.resolve("samples-trunc0.7.png"),
                    8, false);
            Images.saveImageGrid(mixingGrid(gEma, zRows, zColumns, noiseGrid), out.resolve("mixing.png"), MIX + 1, false);
        }
        history.writeCsv(out.resolve("losses.csv"));
        history.chart("StyleGAN on Fashion-MNIST (32x32)", "mean loss per epoch", out.resolve("losses.png"), "d_loss", "g_loss",
                "r1");
        return epochGrid;
    }

    /**
     * The style-mixing grid, (MIX + 1) x (MIX + 1): a blank corner, the column images along the top, the row images
     * down the left, and inside, row i's coarse styles (the first {@link #COARSE} ws) with column j's fine ones. All
     * at truncation 0.7 with the grid's first noise maps.
     */
    private static Tensor mixingGrid(StyleGenerator g, Tensor zRows, Tensor zColumns, List<Tensor> noiseGrid) {
        Tensor rows = g.styles(zRows, 0.7);
        Tensor columns = g.styles(zColumns, 0.7);
        List<Tensor> noise1 = new ArrayList<>();
        for (Tensor t : noiseGrid) {
            noise1.add(t.narrow(0, 0, 1));
        }
        List<Tensor> cells = new ArrayList<>();
        cells.add(Tensor.zeros(DType.F32, Device.CPU, 1, 1, g.resolution(), g.resolution()));
        for (int j = 0; j < MIX; j++) {
            cells.add(images(g.synthesis(columns.narrow(0, j, 1), noise1)));
        }
        for (int i = 0; i < MIX; i++) {
            Tensor row = rows.narrow(0, i, 1);
            cells.add(images(g.synthesis(row, noise1)));
            for (int j = 0; j < MIX; j++) {
                cells.add(images(g.synthesis(g.mix(row, columns.narrow(0, j, 1), COARSE), noise1)));
            }
        }
        return Tensor.cat(cells, 0);
    }

    /** Generator output in [-1, 1] (roughly) to [0, 1] on the CPU. */
    private static Tensor images(Tensor x) {
        return x.add(1).div(2).clamp(0, 1).to(Device.CPU);
    }
}
