package dev.kasane.examples.dcgan;

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
import dev.kasane.nn.BatchNorm1d;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.Init;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.GanLosses;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.models.DCGAN;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DCGAN (Radford et al. 2016) on Fashion-MNIST, or with {@code --gradient-penalty} WGAN-GP (Gulrajani et al. 2017).
 *
 * <p><b>DCGAN</b> (default): {@code DCGAN.generator28(100)} and {@code DCGAN.discriminator28()}, weights initialised
 * N(0, 0.02) (BatchNorm scales N(1, 0.02)) as in the paper, images scaled to [-1, 1], BCE-with-logits losses
 * (discriminator: real vs fake, summed; generator: the non-saturating loss -log D(G(z))), Adam(2e-4, betas 0.5/0.999)
 * for both nets, batch 64, one discriminator and one generator step per batch.
 *
 * <p><b>WGAN-GP</b> ({@code --gradient-penalty}): the same generator and a critic without BatchNorm
 * ({@link Critic28}; the penalty is per sample, batch statistics would couple the samples), critic loss
 * {@code D(fake) - D(real) + lambda * (||grad_x D(x_hat)||_2 - 1)^2} on random interpolates {@code x_hat} with
 * lambda 10 ({@link GanLosses#gradientPenalty}: the input gradient is taken with {@code createGraph} so the penalty
 * itself is differentiated); five critic steps (one per batch) per generator step, generator loss {@code -D(G(z))}; Adam(1e-4,
 * betas 0.0/0.9) for both nets, PyTorch's default (Kaiming-uniform) initialisation as in the authors' code rather
 * than the N(0, 0.02) of DCGAN (whose tiny initial input gradients make the penalty start at its maximum).
 *
 * <p>Outputs in {@code --out}: {@code samples-epochNNN.png} (an 8x8 grid from a fixed latent batch, after each epoch),
 * {@code samples.png} (the latest), {@code losses.png} and {@code losses.csv} (per-epoch means), and the checkpoint
 * {@code checkpoint.safetensors} (both nets, both optimizers, the epoch and the loss history), written after each
 * epoch; {@code --resume} continues from it with the next epoch. At the end it reports FID-FMNIST of
 * {@code --fid-samples} generated images against as many test images (not FID: see README).
 */
public final class DcganExample {
    /** Name under Main. */
    public static final String NAME = "dcgan";
    /** Latent size. */
    public static final int LATENT = 100;
    /** Samples in the grid (8x8). */
    public static final int GRID = 64;

    private DcganExample() {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(DcganExample::parser, DcganExample::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "DCGAN on Fashion-MNIST (8x8 sample grids per epoch); --gradient-penalty: WGAN-GP",
                """
                DCGAN on Fashion-MNIST (28x28, images scaled to [-1, 1]): generator and discriminator \
                from dev.kasane.vision.models.DCGAN, Adam(2e-4, betas 0.5/0.999), BCE-with-logits. After each \
                epoch an 8x8 grid of samples from a fixed latent batch is written to <out>/samples-epochNNN.png. \
                With --gradient-penalty: WGAN-GP (critic without BatchNorm, lambda 10, 5 critic steps per \
                generator step, Adam(1e-4, betas 0.0/0.9)).""")
                .set("epochs", "5")
                .set("batch-size", "64")
                .set("lr", "2e-4")
                .flag("gradient-penalty", "train a WGAN-GP instead (see above); --lr 2e-4 (the default) then means 1e-4")
                .option("lambda", "X", "gradient-penalty weight (WGAN-GP)", "10")
                .option("n-critic", "N", "critic steps per generator step (WGAN-GP)", "5")
                .option("sample-every", "N", "also write a grid every N steps (samples-stepNNNNNN.png; 0 = per epoch only)", "0")
                .option("beta1", "X", "Adam beta1 (default 0.5, or 0.0 with --gradient-penalty)", null)
                .option("beta2", "X", "Adam beta2 (default 0.999, or 0.9 with --gradient-penalty)", null)
                .option(FidFmnistScore.OPTION, "N", "generated images for FID-FMNIST at the end (0: skip)", "10000")
                .examples("dcgan --epochs 5 --out out/dcgan", "dcgan --epochs 3 --resume --out out/dcgan",
                        "dcgan --gradient-penalty --epochs 5 --out out/wgan-gp", "dcgan --limit 128 --epochs 1  (smoke test)");
    }

    /**
     * Trains as the arguments say.
     *
     * @param args parsed by {@link #parser()}
     * @param log where progress goes
     * @return the run; its history's columns are epoch, d_loss, g_loss and d_real/d_fake (DCGAN: mean D(x) and
     *     D(G(z)) as probabilities) or w_distance/penalty (WGAN-GP)
     */
    public static Gans.Result run(Args args, PrintStream log) throws IOException {
        boolean gp = args.flag("gradient-penalty");
        // --lr has one default (2e-4, DCGAN's); WGAN-GP's is 1e-4, so the unchanged default is replaced in that mode
        // (Args cannot tell a default from an explicit "--lr 2e-4"; --help says so).
        double lr = gp && args.lr() == 2e-4 ? 1e-4 : args.lr();
        double beta1 = args.has("beta1") ? args.getDouble("beta1") : (gp ? 0.0 : 0.5);
        double beta2 = args.has("beta2") ? args.getDouble("beta2") : (gp ? 0.9 : 0.999);
        double lambda = args.getDouble("lambda");
        int nCritic = args.getInt("n-critic");
        if (nCritic < 1) {
            throw args.error("--n-critic must be >= 1, got " + nCritic);
        }
        int sampleEvery = args.getInt("sample-every");
        int fidSamples = FidFmnistScore.samples(args);
        int epochs = args.epochs();
        int batchSize = args.batchSize();
        Path out = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        String mode = gp ? "wgan-gp" : "dcgan";
        RunStart from = RunStart.of(args, Checkpoint.file(out), mode, epochs, "epoch", log);
        long seed = from.seed();

        Generator.seedGlobal(seed);
        Module g = DCGAN.generator28(LATENT);
        Module d = gp ? Critic28.create() : DCGAN.discriminator28();
        if (!gp) {
            Generator initGen = new Generator(seed);
            dcganInit(g, initGen);
            dcganInit(d, initGen);
        }
        g.to(device);
        d.to(device);
        Adam optG = new Adam(g.parameters(), Adam.options().lr(lr).betas(beta1, beta2));
        Adam optD = new Adam(d.parameters(), Adam.options().lr(lr).betas(beta1, beta2));
        // The fixed latent batch of the sample grids: a function of the seed alone, so a resumed run uses the same one.
        Tensor fixedZ = Tensor.normal(new Generator(Seeds.derive(seed, -1)), 0, 1, DType.F32, Device.CPU, GRID, LATENT);

        CheckpointParts parts = new CheckpointParts().add("generator", g).add("discriminator", d).add("optG", optG)
                .add("optD", optD);
        History history = from.restore(parts,
                new History("epoch", "d_loss", "g_loss", gp ? "w_distance" : "d_real", gp ? "penalty" : "d_fake"));
        Tensor zFixed = fixedZ.to(device);

        // Fashion-MNIST scaled to [-1, 1] (the generator's tanh range): (x / 255 - 0.5) / 0.5, batch by batch (the set
        // is held as 8-bit pixels, a quarter of the memory of the converted set).
        ImageData fashion = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.5, 0.5);
        TensorDataset train = fashion.pixelDataset();
        int stepsPerEpoch = train.size() / batchSize;
        if (stepsPerEpoch == 0) {
            throw args.error("--batch-size " + batchSize + " is larger than the " + train.size() + " training images"
                    + (args.limit() > 0 ? " (--limit " + args.limit() + ")" : ""));
        }
        log.printf(Locale.ROOT, "%s: %s, %d training images, %d steps/epoch, lr %.0e, betas (%.1f, %.3f), device %s%n",
                NAME, gp ? "WGAN-GP (lambda " + lambda + ", n_critic " + nCritic + ")" : "DCGAN (BCE-with-logits)",
                train.size(), stepsPerEpoch, lr, beta1, beta2, device);
        log.printf(Locale.ROOT, "generator %,d parameters, %s %,d parameters%n", g.numParameters(),
                gp ? "critic" : "discriminator", d.numParameters());

        // Per-epoch seeds (RunStart.runEpochs): a resumed run sees the same batches and noise as an uninterrupted one.
        int epochsRun = from.runEpochs(args, epochs, stepsPerEpoch, log, (epoch, progress, tb) -> {
            Generator noise = Seeds.generator(seed, epoch, 0);
            double[] sums = new double[4];
            int gSteps = 0;
            g.train();
            d.train();
            try (DataLoader<Batch> loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true)
                    .seed(Seeds.shuffleSeed(seed, epoch)).dropLast(true).build()) {
                int step = 0;
                for (Batch batch : loader) {
                    Tensor real = fashion.convert(batch.input()).to(device);
                    int n = real.size(0);
                    double lossD;
                    double lossG = Double.NaN;
                    if (gp) {
                        double[] c = criticStep(g, d, optD, real, noise, lambda, device);
                        lossD = c[0];
                        sums[2] += c[1];
                        sums[3] += c[2];
                        if ((step + 1) % nCritic == 0) {
                            lossG = generatorStep(g, d, optG, n, noise, device, true);
                        }
                    } else {
                        double[] c = discriminatorStep(g, d, optD, real, noise, device);
                        lossD = c[0];
                        sums[2] += c[1];
                        sums[3] += c[2];
                        lossG = generatorStep(g, d, optG, n, noise, device, false);
                    }
                    if (!Double.isFinite(lossD) || (!Double.isNaN(lossG) && !Double.isFinite(lossG))) {
                        throw new IllegalStateException(String.format(Locale.ROOT,
                                "dcgan: loss diverged at epoch %d step %d (D %s, G %s)", epoch + 1, step + 1, lossD, lossG));
                    }
                    sums[0] += lossD;
                    if (!Double.isNaN(lossG)) {
                        sums[1] += lossG;
                        gSteps++;
                    }
                    step++;
                    progress.step(n, lossD);
                    if (sampleEvery > 0 && step % sampleEvery == 0 && step < stepsPerEpoch) {
                        writeGrid(g, zFixed, out.resolve(String.format(Locale.ROOT, "samples-step%07d.png",
                                epoch * stepsPerEpoch + step)));
                    }
                    if (!progress.isInteractive() && (step % args.logEvery() == 0 || step == stepsPerEpoch)) {
                        log.printf(Locale.ROOT, "    D loss %.4f  G loss %.4f  %s%n", sums[0] / step,
                                gSteps == 0 ? Double.NaN : sums[1] / gSteps, gp
                                        ? String.format(Locale.ROOT, "W-distance %.4f  GP %.4f", sums[2] / step, sums[3] / step)
                                        : String.format(Locale.ROOT, "D(x) %.3f  D(G(z)) %.3f", sums[2] / step, sums[3] / step));
                    }
                }
                double meanD = sums[0] / step;
                double meanG = gSteps == 0 ? Double.NaN : sums[1] / gSteps;
                history.add(epoch + 1, meanD, meanG, sums[2] / step, sums[3] / step);
                tb.epoch(history, g);
                tb.images("samples", samples(g, zFixed).add(1).div(2), epoch + 1);
                // the epoch's outputs before its checkpoint: a checkpoint on disk means its epoch's outputs are too
                Path grid = writeOutputs(g, zFixed, history, gp, out);
                from.save(parts, epoch + 1, history);
                progress.endEpoch(String.format(Locale.ROOT, "D loss %.4f, G loss %.4f, samples %s, checkpoint %s",
                        meanD, meanG, grid.getFileName(), from.file().getFileName()));
            }
        }, () -> writeOutputs(g, zFixed, history, gp, out)); // a finished run resumed: its outputs again
        double fid = Double.NaN;
        if (fidSamples > 0) {
            Generator fidNoise = new Generator(Seeds.derive(seed, -2));
            List<Tensor> images = new ArrayList<>();
            for (int start = 0; start < fidSamples; start += 500) {
                images.add(samples(g, latent(fidNoise, Math.min(500, fidSamples - start), device)));
            }
            fid = FidFmnistScore.report(Tensor.cat(images, 0), args.dataDir(), log).fid();
        }
        return new Gans.Result(epochsRun, history, from.file(), Gans.samplesFile(out, history), fid);
    }

    /**
     * Writes the outputs of the epoch that ends {@code history}: its sample grid ({@code samples-epochNNN.png}, and
     * the same as {@code samples.png}), {@code losses.csv} and {@code losses.png}.
     *
     * @return the epoch's sample grid
     */
    private static Path writeOutputs(Module g, Tensor zFixed, History history, boolean gp, Path out) throws IOException {
        Path grid = Gans.samplesFile(out, history);
        writeGrid(g, zFixed, grid);
        writeGrid(g, zFixed, out.resolve("samples.png"));
        history.writeCsv(out.resolve("losses.csv"));
        history.chart(gp ? "WGAN-GP on Fashion-MNIST" : "DCGAN on Fashion-MNIST", "mean loss per epoch",
                out.resolve("losses.png"), "d_loss", "g_loss");
        return grid;
    }

    /** Radford et al.'s initialisation: conv/linear weights N(0, 0.02), biases 0, BatchNorm scale N(1, 0.02), shift 0. */
    static void dcganInit(Module model, Generator gen) {
        for (Module m : model.modules()) {
            if (m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof Linear) {
                Map<String, Tensor> p = m.namedParameters();
                Init.normal(p.get("weight"), 0, 0.02, gen);
                if (p.containsKey("bias")) {
                    Init.zeros(p.get("bias"));
                }
            } else if (m instanceof BatchNorm2d || m instanceof BatchNorm1d) {
                Map<String, Tensor> p = m.namedParameters();
                Init.normal(p.get("weight"), 1, 0.02, gen);
                Init.zeros(p.get("bias"));
            }
        }
    }

    private static Tensor latent(Generator noise, int n, Device device) {
        return Tensor.normal(noise, 0, 1, DType.F32, device, n, LATENT);
    }

    /** One DCGAN discriminator step; returns {loss, mean D(x), mean D(G(z))} (probabilities). */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static double[] discriminatorStep(Module g, Module d, Adam optD, Tensor real, Generator noise, Device device) {
        int n = real.size(0);
        Tensor fake;
        try (var ng = Autograd.noGrad()) {
            fake = g.forward(latent(noise, n, device));
        }
        optD.zeroGrad();
        Tensor outReal = d.forward(real);
        Tensor outFake = d.forward(fake);
        Tensor loss = GanLosses.nonSaturatingDiscriminator(outReal, outFake);
        loss.backward();
        optD.step();
        return new double[] {loss.item(), outReal.detach().sigmoid().mean().item(), outFake.detach().sigmoid().mean().item()};
    }

    /**
     * One WGAN-GP critic step: loss = mean D(fake) - mean D(real) + lambda * mean (||grad D(x_hat)|| - 1)^2; returns
     * {loss, Wasserstein estimate mean D(real) - mean D(fake), penalty}.
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static double[] criticStep(Module g, Module d, Adam optD, Tensor real, Generator noise, double lambda,
                                       Device device) {
        int n = real.size(0);
        Tensor fake;
        try (var ng = Autograd.noGrad()) {
            fake = g.forward(latent(noise, n, device));
        }
        optD.zeroGrad();
        Tensor penalty = GanLosses.gradientPenalty(d::forward, real, fake, noise);
        Tensor critic = GanLosses.wassersteinDiscriminator(d.forward(real), d.forward(fake));
        Tensor loss = critic.add(penalty.mul(lambda));
        loss.backward();
        optD.step();
        return new double[] {loss.item(), -critic.item(), penalty.item()};
    }

    /** One generator step (non-saturating BCE, or -D(G(z)) for WGAN-GP); the discriminator is frozen meanwhile. */
    private static double generatorStep(Module g, Module d, Adam optG, int n, Generator noise, Device device, boolean wgan) {
        return Gans.generatorStep(d, optG, () -> {
            Tensor out = d.forward(g.forward(latent(noise, n, device)));
            return wgan ? GanLosses.wassersteinGenerator(out) : GanLosses.nonSaturatingGenerator(out);
        }).item();
    }

    /** The 8x8 grid of G(fixed z), in eval mode (BatchNorm running statistics), min-max normalised. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static void writeGrid(Module g, Tensor z, Path file) throws IOException {
        Images.saveImageGrid(samples(g, z), file, 8, true);
    }

    /** The generator's images for {@code z} in [-1, 1] on the CPU, computed in eval mode without grad. */
    static Tensor samples(Module g, Tensor z) {
        g.eval();
        try (var ng = Autograd.noGrad()) {
            return g.forward(z).to(Device.CPU);
        } finally {
            g.train();
        }
    }
}
