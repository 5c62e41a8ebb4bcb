package dev.kasane.examples.cyclegan;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.CheckpointParts;
import dev.kasane.examples.common.FidFmnistScore;
import dev.kasane.examples.common.Gans;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.Plots;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.Seeds;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.Init;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.models.CycleGAN;
import dev.kasane.vision.metrics.FidFmnist;
import dev.kasane.vision.models.ImagePool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CycleGAN (Zhu et al. 2017) on an unpaired pair of domains built from Fashion-MNIST whose true mapping is known, so
 * that the learned mapping can be scored: domain A is the garments as they are, domain B the garments transformed by
 * {@code --task} ({@code invert}: intensities inverted, dark garments on white; {@code rotate}: turned 90 degrees
 * clockwise). The training images are split in halves, A from the first and B from the transformed second, so no
 * image of A has its counterpart in B.
 *
 * <p>As pytorch-CycleGAN-and-pix2pix with its defaults, at a width for 28x28 images: two ResNet generators
 * {@code G: A -> B} and {@code F: B -> A} ({@link CycleGAN#resnetGenerator}), two PatchGAN discriminators
 * ({@link CycleGAN#patchDiscriminator}; {@code D_A} tells real from fake A, {@code D_B} real from fake B), weights
 * N(0, 0.02), least-squares GAN losses on the patch logits, cycle loss {@code lambda (|F(G(a)) - a|_1 + |G(F(b)) -
 * b|_1)} with lambda 10, the identity loss {@code lambda_id lambda (|G(b) - b|_1 + |F(a) - a|_1)} (the paper's
 * lambda_id is 0.5; here 0 by default, see below), Adam(2e-4, betas 0.5/0.999) over both generators and over both
 * discriminators, and the discriminators shown fakes through a 50-image {@link ImagePool} each; their loss is
 * halved. Each step: one generator update, then one discriminator update. Departures: the pools start empty each
 * epoch (so that a resumed run equals an uninterrupted one), batches of 8 rather than 1, no linear learning-rate
 * decay, and {@code --lambda-identity 0}: the identity loss asks {@code G(b) = b}, which the true mapping of these
 * tasks (every pixel changes) contradicts; with the paper's 0.5 the held-out mapping error after 5 epochs stayed at
 * 6.5 dB PSNR (the generators drew other garments), without it it reached 18.3 dB (README).
 *
 * <p>After each epoch the mapping error is measured on held-out test images: the mean squared error (images in
 * [0, 1]) and PSNR of {@code G(x)} against the true {@code T(x)} and of {@code F(T(x))} against {@code x}; the
 * log also gives the error of doing nothing ({@code x} against {@code T(x)}) for scale.
 *
 * <p>At the end, {@code --fid-samples} held-out test images are translated each way and scored with
 * {@link FidFmnistScore} against the true images of the target domain: {@code G(x)} against {@code T(x)} and
 * {@code F(T(x))} against {@code x} (FID-FMNIST, IS-FMNIST and precision/recall; a perfect mapping scores FID-FMNIST 0
 * and precision and recall 1). The classifier behind these scores was trained on upright, uninverted Fashion-MNIST, so
 * the B -> A direction (real-looking garments) is the one comparable with the other GAN examples.
 *
 * <p>Outputs in {@code --out}: {@code samples-epochNNN.png} and {@code samples.png} (held-out images: A, G(A), the
 * true T(A) and the cycle F(G(A)); B, F(B), the true A and G(F(B))), {@code losses.png}, {@code mapping.png} (PSNR
 * per epoch), {@code losses.csv}, and {@code checkpoint.safetensors} (four nets, two optimizers, epoch, history);
 * {@code --resume} continues from it.
 */
public final class CycleGanExample {
    /** Name under Main. */
    public static final String NAME = "cyclegan";
    /** Held-out images in the sample sheet, per direction. */
    public static final int SAMPLES = 8;

    private CycleGanExample() {
    }

    /** The known mapping from domain A to domain B. */
    public enum Task {
        /** Intensities inverted: {@code x -> -x} on images in [-1, 1] (1 - x in [0, 1]). */
        INVERT,
        /** Turned 90 degrees clockwise. */
        ROTATE;

        /** {@code T} applied to images {@code [N, C, H, W]} in [-1, 1]. */
        public Tensor apply(Tensor images) {
            return this == INVERT ? images.neg() : images.transpose(2, 3).flip(3).contiguous();
        }
    }

    /**
     * What one run did.
     *
     * @param epochsRun epochs trained by this call (not counting those before a resume)
     * @param history per-epoch values from epoch 1: epoch, d_loss, g_gan, cycle, identity (the weighted losses),
     *     mse_ab, psnr_ab, mse_ba, psnr_ba (the mapping error on held-out images)
     * @param doNothingMse the mean squared error of {@code x} against {@code T(x)} on the same images (for scale)
     * @param checkpoint the checkpoint file
     * @param lastSamples the last sample sheet written
     * @param scoresAB the scores of {@code G(x)} against {@code T(x)} on held-out images, null with {@code --fid-samples 0}
     * @param scoresBA the scores of {@code F(T(x))} against {@code x}, null with {@code --fid-samples 0}
     */
    public record Result(int epochsRun, History history, double doNothingMse, Path checkpoint, Path lastSamples,
                         FidFmnist.Evaluation scoresAB, FidFmnist.Evaluation scoresBA) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(CycleGanExample::parser, CycleGanExample::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "CycleGAN on Fashion-MNIST domains with a known answer (inverted or rotated): mapping error, A|G(A)|T(A)|F(G(A)) sheets",
                """
                CycleGAN on Fashion-MNIST: domain A the garments, domain B the garments transformed \
                by --task (unpaired: each domain from its own half of --limit training images). ResNet \
                generators, PatchGAN discriminators, LSGAN + cycle + identity losses, 50-image pools, \
                Adam(2e-4, betas 0.5/0.999). After each epoch: the mapping error (MSE, PSNR) against the \
                known answer on held-out test images, and a sample sheet. At the end: FID-FMNIST (not FID) \
                of held-out translations against the true images of the target domain.""")
                .set("epochs", "5")
                .set("batch-size", "8")
                .set("lr", "2e-4")
                .set("limit", "4000")
                .option("task", "T", "the known mapping A -> B: invert (intensities) or rotate (90 degrees clockwise)", "invert")
                .option("ngf", "N", "generator width (64 in the paper)", "16")
                .option("blocks", "N", "residual blocks in each generator (9 in the paper at 256x256)", "3")
                .option("ndf", "N", "discriminator width (64 in the paper)", "16")
                .option("d-layers", "N", "stride-2 layers of each PatchGAN (3: 70x70 patches; 2: 34x34)", "2")
                .option("lambda-cycle", "X", "cycle-consistency weight", "10")
                .option("lambda-identity", "X", "identity weight, relative to the cycle weight (the paper's 0.5 fights "
                        + "these tasks' true mapping, G(b) = b; 0 = none)", "0")
                .option("pool", "N", "images in each discriminator's history pool (0 = none)", "50")
                .option("eval-images", "N", "held-out test images on which the mapping error is measured", "500")
                .option(FidFmnistScore.OPTION, "N", "held-out test images translated each way for FID-FMNIST, IS-FMNIST "
                        + "and precision/recall at the end (0: skip)", "10000")
                .examples("cyclegan --epochs 5 --out out/cyclegan", "cyclegan --epochs 8 --resume --out out/cyclegan",
                        "cyclegan --task rotate --out out/cyclegan-rotate",
                        "cyclegan --limit 64 --epochs 1 --eval-images 16 --fid-samples 16  (smoke test)");
    }

    /** The loss weights of a run. */
    private record Weights(double cycle, double identity) {
    }

    /** The four networks and two optimizers. */
    private record Nets(Module gAB, Module gBA, Module dA, Module dB, Adam optG, Adam optD) {
        void train(boolean on) {
            for (Module m : List.of(gAB, gBA, dA, dB)) {
                m.train(on);
            }
        }
    }

    /**
     * Trains as the arguments say.
     *
     * @param args parsed by {@link #parser()}
     * @param log where progress goes
     */
    public static Result run(Args args, PrintStream log) throws IOException {
        Task task = parseTask(args);
        int ngf = positive(args, "ngf");
        int blocks = args.getInt("blocks");
        int ndf = positive(args, "ndf");
        int dLayers = positive(args, "d-layers");
        int evalImages = positive(args, "eval-images");
        int poolSize = args.getInt("pool");
        int fidSamples = FidFmnistScore.samples(args);
        if (blocks < 0 || poolSize < 0) {
            throw args.error("--blocks and --pool must be >= 0, got " + blocks + " and " + poolSize);
        }
        Weights weights = new Weights(args.getDouble("lambda-cycle"), args.getDouble("lambda-identity"));
        int epochs = args.epochs();
        int batchSize = args.batchSize();
        Path out = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        String mode = task.name().toLowerCase(Locale.ROOT);
        RunStart from = RunStart.of(args, Checkpoint.file(out), mode, epochs, "epoch", log);
        long seed = from.seed();

        Generator.seedGlobal(seed);
        Generator initGen = new Generator(seed);
        Module gAB = init(CycleGAN.resnetGenerator(1, 1, ngf, blocks), initGen);
        Module gBA = init(CycleGAN.resnetGenerator(1, 1, ngf, blocks), initGen);
        Module dA = init(CycleGAN.patchDiscriminator(1, ndf, dLayers), initGen);
        Module dB = init(CycleGAN.patchDiscriminator(1, ndf, dLayers), initGen);
        for (Module m : List.of(gAB, gBA, dA, dB)) {
            m.to(device);
        }
        List<Tensor> gParams = new ArrayList<>(gAB.parameters());
        gParams.addAll(gBA.parameters());
        List<Tensor> dParams = new ArrayList<>(dA.parameters());
        dParams.addAll(dB.parameters());
        Adam.Options opts = Adam.options().lr(args.lr()).betas(0.5, 0.999);
        Nets nets = new Nets(gAB, gBA, dA, dB, new Adam(gParams, opts), new Adam(dParams, opts));
        CheckpointParts parts = new CheckpointParts().add("g_ab", gAB).add("g_ba", gBA).add("d_a", dA).add("d_b", dB)
                .add("optG", nets.optG()).add("optD", nets.optD());
        History history = from.restore(parts,
                new History("epoch", "d_loss", "g_gan", "cycle", "identity", "mse_ab", "psnr_ab", "mse_ba", "psnr_ba"));

        // Fashion-MNIST in [-1, 1] (the generators' tanh range); A and B from disjoint halves: unpaired.
        Tensor train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), 0.5, 0.5).images();
        int half = train.size(0) / 2;
        Tensor domainA = train.narrow(0, 0, half).to(device);
        Tensor domainB = task.apply(train.narrow(0, half, half)).to(device);
        Tensor test = ImageData.fashionMnist(args.dataDir(), false, Math.max(evalImages, 2 * SAMPLES), 0.5, 0.5).images();
        Tensor evalA = test.narrow(0, 0, Math.min(evalImages, test.size(0))).to(device);
        Tensor sampleA = test.narrow(0, 0, SAMPLES).to(device);
        Tensor sampleB = task.apply(test.narrow(0, SAMPLES, SAMPLES)).to(device);
        int stepsPerEpoch = half / batchSize;
        if (stepsPerEpoch == 0) {
            throw args.error("--batch-size " + batchSize + " is larger than the " + half + " images of each domain (half of "
                    + train.size(0) + (args.limit() > 0 ? ", --limit " + args.limit() : "") + ")");
        }
        double doNothing = mse(evalA, task.apply(evalA));
        log.printf(Locale.ROOT, "%s: task %s, %d images per domain, %d steps/epoch, batch %d, lr %.0e, lambda %.3g, "
                        + "identity %.3g, pool %d, device %s%n", NAME, mode, half, stepsPerEpoch, batchSize, args.lr(),
                weights.cycle(), weights.identity(), poolSize, device);
        log.printf(Locale.ROOT, "generators %,d parameters each (ngf %d, %d blocks), discriminators %,d each (ndf %d, %d "
                + "layers); doing nothing scores MSE %.4f (PSNR %.2f dB) on %d held-out images%n", gAB.numParameters(), ngf,
                blocks, dA.numParameters(), ndf, dLayers, doNothing, psnr(doNothing), evalA.size(0));

        int epochsRun = from.runEpochs(args, epochs, stepsPerEpoch, log, (epoch, progress, tb) -> {
            Tensor orderA = Tensor.randperm(Seeds.generator(seed, epoch, 1), half, device);
            Tensor orderB = Tensor.randperm(Seeds.generator(seed, epoch, 2), half, device);
            ImagePool poolA = new ImagePool(poolSize, Seeds.generator(seed, epoch, 3));
            ImagePool poolB = new ImagePool(poolSize, Seeds.generator(seed, epoch, 4));
            double[] sums = new double[4];
            nets.train(true);
            for (int step = 0; step < stepsPerEpoch; step++) {
                Tensor realA = domainA.indexSelect(0, orderA.narrow(0, step * batchSize, batchSize));
                Tensor realB = domainB.indexSelect(0, orderB.narrow(0, step * batchSize, batchSize));
                double[] losses = step(nets, realA, realB, poolA, poolB, weights);
                for (int i = 0; i < 4; i++) {
                    sums[i] += losses[i];
                }
                if (!Double.isFinite(losses[0] + losses[1] + losses[2] + losses[3])) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "cyclegan: loss diverged at epoch %d step %d "
                            + "(D %s, G gan %s, cycle %s, identity %s)", epoch + 1, step + 1, losses[0], losses[1], losses[2], losses[3]));
                }
                progress.step(batchSize, losses[1] + losses[2] + losses[3]);
                if (!progress.isInteractive() && ((step + 1) % args.logEvery() == 0 || step + 1 == stepsPerEpoch)) {
                    int n = step + 1;
                    log.printf(Locale.ROOT, "    D %.4f  G gan %.4f  cycle %.4f  identity %.4f%n", sums[0] / n, sums[1] / n,
                            sums[2] / n, sums[3] / n);
                }
            }
            double mseAB = mapped(gAB, evalA, task, true);
            double mseBA = mapped(gBA, evalA, task, false);
            int n = stepsPerEpoch;
            history.add(epoch + 1, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, mseAB, psnr(mseAB), mseBA, psnr(mseBA));
            tb.epoch(history, gAB);
            // the epoch's outputs before its checkpoint: a checkpoint on disk means its epoch's outputs are too
            Path sheet = writeOutputs(nets, sampleA, sampleB, task, history, out);
            from.save(parts, epoch + 1, history);
            progress.endEpoch(String.format(Locale.ROOT, "G: A->B MSE %.4f (%.2f dB), F: B->A MSE %.4f (%.2f dB), "
                    + "samples %s", mseAB, psnr(mseAB), mseBA, psnr(mseBA), sheet.getFileName()));
        }, () -> writeOutputs(nets, sampleA, sampleB, task, history, out));
        FidFmnist.Evaluation scoresAB = null;
        FidFmnist.Evaluation scoresBA = null;
        if (fidSamples > 0) {
            Tensor a = ImageData.fashionMnist(args.dataDir(), false, fidSamples, 0.5, 0.5).images();
            Tensor b = task.apply(a);
            scoresAB = FidFmnistScore.report(translate(gAB, a), "translations G(A) of test images", b,
                    "true T(A) (test images in domain B)", log);
            scoresBA = FidFmnistScore.report(translate(gBA, b), "translations F(B) of test images in domain B", a,
                    "true test images (domain A)", log);
        }
        return new Result(epochsRun, history, doNothing, from.file(), Gans.samplesFile(out, history), scoresAB, scoresBA);
    }

    private static Task parseTask(Args args) {
        String t = args.get("task");
        for (Task task : Task.values()) {
            if (task.name().equalsIgnoreCase(t)) {
                return task;
            }
        }
        throw args.error("--task must be invert or rotate, got '" + t + "'");
    }

    private static int positive(Args args, String name) {
        int v = args.getInt(name);
        if (v < 1) {
            throw args.error("--" + name + " must be >= 1, got " + v);
        }
        return v;
    }

    /** pytorch-CycleGAN-and-pix2pix's init_weights('normal', 0.02): conv weights N(0, 0.02), biases 0. */
    static Module init(Module model, Generator gen) {
        for (Module m : model.modules()) {
            if (m instanceof Conv2d || m instanceof ConvTranspose2d) {
                Map<String, Tensor> p = m.namedParameters();
                Init.normal(p.get("weight"), 0, 0.02, gen);
                if (p.containsKey("bias")) {
                    Init.zeros(p.get("bias"));
                }
            }
        }
        return model;
    }

    /** Least-squares GAN loss: mean (pred - target)^2. */
    private static Tensor lsgan(Tensor pred, double target) {
        return pred.sub(target).square().mean();
    }

    /**
     * One training step: the generators on the GAN, cycle and identity losses (discriminators frozen), then the
     * discriminators on real images and pooled fakes. Returns {d_loss, g_gan, cycle, identity}.
     */
    private static double[] step(Nets nets, Tensor realA, Tensor realB, ImagePool poolA, ImagePool poolB, Weights w) {
        nets.optG().zeroGrad();
        nets.dA().requiresGrad(false);
        nets.dB().requiresGrad(false);
        Tensor fakeB = nets.gAB().forward(realA);
        Tensor fakeA = nets.gBA().forward(realB);
        Tensor gan = lsgan(nets.dB().forward(fakeB), 1).add(lsgan(nets.dA().forward(fakeA), 1));
        Tensor cycle = F.l1Loss(nets.gBA().forward(fakeB), realA, Reduction.MEAN)
                .add(F.l1Loss(nets.gAB().forward(fakeA), realB, Reduction.MEAN)).mul(w.cycle());
        Tensor total = gan.add(cycle);
        double identity = 0;
        if (w.identity() > 0) {
            Tensor idt = F.l1Loss(nets.gAB().forward(realB), realB, Reduction.MEAN)
                    .add(F.l1Loss(nets.gBA().forward(realA), realA, Reduction.MEAN))
                    .mul(w.cycle() * w.identity());
            total = total.add(idt);
            identity = idt.item();
        }
        total.backward();
        nets.optG().step();
        nets.dA().requiresGrad(true);
        nets.dB().requiresGrad(true);

        nets.optD().zeroGrad();
        Tensor lossDA = lsgan(nets.dA().forward(realA), 1).add(lsgan(nets.dA().forward(poolA.query(fakeA)), 0)).mul(0.5);
        Tensor lossDB = lsgan(nets.dB().forward(realB), 1).add(lsgan(nets.dB().forward(poolB.query(fakeB)), 0)).mul(0.5);
        Tensor lossD = lossDA.add(lossDB);
        lossD.backward();
        nets.optD().step();
        return new double[] {lossD.item(), gan.item(), cycle.item(), identity};
    }

    /**
     * The mean squared error, images in [0, 1], of {@code G(x)} against {@code T(x)} ({@code forward}) or of
     * {@code F(T(x))} against {@code x}, over {@code images}.
     */
    static double mapped(Module g, Tensor images, Task task, boolean forward) {
        Tensor tx = task.apply(images);
        return mse(translate(g, forward ? images : tx), (forward ? tx : images).to(Device.CPU));
    }

    /**
     * {@code g} applied to {@code images} in batches of 100 on the generator's device, in eval mode without grad; the
     * result on the CPU.
     */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static Tensor translate(Module g, Tensor images) {
        Device device = g.parameters().get(0).device();
        List<Tensor> parts = new ArrayList<>();
        g.eval();
        try (var ng = Autograd.noGrad()) {
            for (int i = 0; i < images.size(0); i += 100) {
                parts.add(g.forward(images.narrow(0, i, Math.min(100, images.size(0) - i)).to(device)).to(Device.CPU));
            }
            return Tensor.cat(parts, 0);
        } finally {
            g.train();
        }
    }

    /** Mean squared error in [0, 1] units of two batches in [-1, 1]. */
    private static double mse(Tensor a, Tensor b) {
        return a.sub(b).square().mean().item() / 4;
    }

    /** PSNR in dB for images in [0, 1]. */
    static double psnr(double mse) {
        return 10 * Math.log10(1 / mse);
    }

    /** The sample sheet, {@code losses.csv}, {@code losses.png} and {@code mapping.png}; returns the epoch's sheet. */
    private static Path writeOutputs(Nets nets, Tensor sampleA, Tensor sampleB, Task task, History history, Path out)
            throws IOException {
        Path sheet = Gans.samplesFile(out, history);
        List<Tensor> panels = samplePanels(nets, sampleA, sampleB, task);
        List<String> labels = List.of("A", "G(A)", "T(A)", "F(G(A))", "B", "F(B)", "true A", "G(F(B))");
        Plots.panels(panels, labels, 1, 3, sheet);
        Plots.panels(panels, labels, 1, 3, out.resolve("samples.png"));
        history.writeCsv(out.resolve("losses.csv"));
        history.chart("CycleGAN on Fashion-MNIST", "mean loss per epoch", out.resolve("losses.png"), "d_loss", "g_gan",
                "cycle", "identity");
        history.chart("CycleGAN mapping error on held-out images", "PSNR against the true mapping (dB)",
                out.resolve("mapping.png"), "psnr_ab", "psnr_ba");
        return sheet;
    }

    /** Per held-out pair, the eight panels of the sample sheet as [1, 28, 28] images in [0, 1]. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static List<Tensor> samplePanels(Nets nets, Tensor a, Tensor b, Task task) {
        nets.train(false);
        try (var ng = Autograd.noGrad()) {
            Tensor gA = nets.gAB().forward(a);
            Tensor fB = nets.gBA().forward(b);
            Tensor[] columns = {a, gA, task.apply(a), nets.gBA().forward(gA), b, fB, inverse(task, b), nets.gAB().forward(fB)};
            List<Tensor> panels = new ArrayList<>();
            for (int i = 0; i < a.size(0); i++) {
                for (Tensor c : columns) {
                    panels.add(c.select(0, i).add(1).div(2).to(Device.CPU));
                }
            }
            return panels;
        } finally {
            nets.train(true);
        }
    }

    /** The true A image of a B image: T undone. */
    private static Tensor inverse(Task task, Tensor b) {
        return task == Task.INVERT ? b.neg() : b.flip(3).transpose(2, 3).contiguous();
    }
}
