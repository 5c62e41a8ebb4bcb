package dev.kasane.examples.dip;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.Plots;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.Seeds;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.examples.common.TextFiles;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.metrics.Metrics;
import dev.kasane.vision.models.UNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Deep Image Prior (Ulyanov, Vedaldi and Lempitsky 2018): a randomly initialised convolutional generator, fed a fixed
 * random input, is fitted to one corrupted image; its structure fits natural-image content much faster than noise,
 * so stopping early gives a restored image, with no training data at all.
 *
 * <p>The image is {@link SyntheticScene}, a scene drawn procedurally in code (sky gradient, sun, hills, a house, a
 * tree, a checkerboard flag, a striped field); nothing is downloaded. Three tasks:
 * <ul>
 *   <li><b>denoise</b>: additive Gaussian noise of standard deviation {@code --sigma}/255 (25 as in the paper);
 *       loss MSE to the noisy image; stopped at a fixed iteration count ({@code --iterations}), before the network
 *       starts to fit the noise; as in the authors' code, the input is jittered each iteration with N(0, (1/30)^2)
 *       noise and the reported result is the exponential moving average (0.99) of the outputs.</li>
 *   <li><b>inpaint</b>: pixels under thick random strokes and three stripes (about a quarter of the image) are
 *       missing; the loss is the MSE on the known pixels only ({@code mask * (out - image)}).</li>
 *   <li><b>superres</b>: x4 super-resolution from the low-resolution image alone (the image shrunk 4 times with
 *       antialiased bicubic interpolation); the loss is the MSE between the output shrunk the same way and the
 *       low-resolution image; the "corrupted" image, the baseline, is the bicubic upscaling; Adam with
 *       {@code --superres-lr} (0.001).</li>
 * </ul>
 * The generator is the zoo's {@code UNet(32, 3, width)} (32 input channels of uniform noise in [0, 0.1], as the
 * paper's {@code input_depth = 32}) followed by a sigmoid, trained with Adam (lr 0.01) in training mode throughout.
 * PSNR and SSIM (data range 1) of the corrupted image and of the restoration against the clean image are printed
 * and written to {@code <out>/<task>/results.txt}, together with {@code clean.png}, {@code corrupted.png},
 * {@code restored.png}, {@code comparison.png} (columns labelled clean, corrupted, restored, enlarged 4x),
 * {@code psnr.csv}/{@code psnr.png} (PSNR against the clean image over the iterations) and a checkpoint
 * ({@code --resume}; resuming a finished task writes its outputs again). {@code <out>/summary.txt} holds the result
 * line of every task in {@code <out>}.
 */
public final class DeepImagePrior {
    /** Name under Main. */
    public static final String NAME = "deep-image-prior";
    /** The tasks, in the order {@code --task both} runs them. */
    public static final List<String> TASKS = List.of("denoise", "inpaint", "superres");
    /** The upscaling factor of the superres task. */
    static final int SUPERRES_SCALE = 4;
    /** A task's result line, in its directory. */
    public static final String RESULTS_FILE = "results.txt";
    /** The result lines of all tasks run into an output directory, in it. */
    public static final String SUMMARY_FILE = "summary.txt";

    private DeepImagePrior() {
    }

    /**
     * The outcome of one task.
     *
     * @param task "denoise" or "inpaint"
     * @param iterations iterations done in total
     * @param psnrCorrupted PSNR (dB) of the corrupted image against the clean one
     * @param ssimCorrupted SSIM of the corrupted image
     * @param psnrRestored PSNR of the restoration (the moving average of the outputs)
     * @param ssimRestored SSIM of the restoration
     * @param psnrLastOutput PSNR of the last output alone
     * @param finalLoss the loss at the last iteration
     * @param dir the task's output directory
     */
    public record TaskResult(String task, int iterations, double psnrCorrupted, double ssimCorrupted, double psnrRestored,
                             double ssimRestored, double psnrLastOutput, double finalLoss, Path dir) {
        /** One line for the log. */
        public String summary() {
            return String.format(Locale.ROOT, "%s: corrupted PSNR %.2f dB SSIM %.4f -> restored PSNR %.2f dB SSIM %.4f "
                            + "(last output alone %.2f dB) after %d iterations", task, psnrCorrupted, ssimCorrupted,
                    psnrRestored, ssimRestored, psnrLastOutput, iterations);
        }
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(DeepImagePrior::parser, DeepImagePrior::run);

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "Deep Image Prior: denoise and inpaint one procedurally drawn image, PSNR/SSIM",
                """
                Deep Image Prior: a randomly initialised U-Net (the zoo's UNet with 32 input noise \
                channels, sigmoid output) is fitted to ONE corrupted image from a fixed random input, with no \
                training data; early stopping gives the restoration. The image is a scene drawn procedurally in \
                code (sky gradient, sun, hills, house, tree, checkerboard flag, striped field), so nothing is \
                downloaded. Tasks: denoise (Gaussian noise sigma 25/255, fixed iteration count) and inpaint \
                (strokes and stripes masked out, loss on known pixels only). Prints PSNR/SSIM of the corrupted \
                and the restored image against the clean one and writes before/after PNGs to <out>/<task>/.""")
                .without("epochs", "batch-size", "limit", "data")
                .set("lr", "0.01")
                .option("task", "T", "denoise | inpaint | superres | both (denoise and inpaint) | all", "both")
                .option("size", "N", "image height and width (a multiple of 8, at least 16)", "64")
                .option("iterations", "N", "denoising iterations (the early stop; 300 is near the PSNR peak at 64x64)", "300")
                .option("inpaint-iterations", "N", "inpainting iterations", "1000")
                .option("superres-iterations", "N", "x4 super-resolution iterations", "1000")
                .option("superres-lr", "X", "learning rate of the superres task (0.01 overshoots from a 16x16 image)", "0.001")
                .option("sigma", "X", "noise standard deviation, in 1/255 units", "25")
                .option("width", "N", "U-Net base width", "16")
                .option("input-depth", "N", "channels of the random input", "32")
                .option("reg-noise", "X", "std of the jitter added to the input each iteration (denoising)", "0.0333")
                .option("ema", "X", "decay of the moving average of the outputs", "0.99")
                .option("eval-every", "N", "iterations between PSNR measurements (psnr.csv)", "50")
                .option("checkpoint-every", "N", "iterations between checkpoints", "200")
                .examples("deep-image-prior --out out/dip", "deep-image-prior --task denoise --iterations 400 --eval-every 10",
                        "deep-image-prior --task inpaint --resume --out out/dip",
                        "deep-image-prior --size 32 --iterations 20 --inpaint-iterations 20  (smoke test)");
    }

    /**
     * Runs the task(s) the arguments name.
     *
     * @param args parsed by {@link #parser()}
     * @param log where progress goes
     * @return one result per task, in order
     */
    public static List<TaskResult> run(Args args, PrintStream log) throws IOException {
        String task = args.get("task");
        List<String> tasks = switch (task) {
            case "both" -> List.of("denoise", "inpaint");
            case "all" -> TASKS;
            case "denoise", "inpaint", "superres" -> List.of(task);
            default -> throw args.error("--task must be denoise, inpaint, superres, both or all, got '" + task + "'");
        };
        int size = args.getInt("size");
        if (size < 16 || size % 8 != 0) {
            throw args.error("--size must be a multiple of 8 and >= 16, got " + size);
        }
        Path out = args.createOut(tasks.stream().map(t -> t + "/" + Checkpoint.FILE_NAME).toArray(String[]::new));
        Tensor clean = SyntheticScene.image(size);
        List<TaskResult> results = new ArrayList<>();
        for (String t : tasks) {
            results.add(runTask(t, clean, args, log));
        }
        writeSummary(out);
        log.println("results of every task in " + out + ": " + out.resolve(SUMMARY_FILE));
        return results;
    }

    /** {@code summary.txt}: the result line of each task whose {@code <task>/results.txt} exists in {@code out}. */
    private static void writeSummary(Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String t : TASKS) {
            Path r = out.resolve(t).resolve(RESULTS_FILE);
            if (Files.exists(r)) {
                sb.append(Files.readString(r));
            }
        }
        TextFiles.write(out.resolve(SUMMARY_FILE), sb.toString());
    }

    private static TaskResult runTask(String task, Tensor clean, Args args, PrintStream log) throws IOException {
        boolean denoise = task.equals("denoise");
        boolean superres = task.equals("superres");
        int size = clean.size(1);
        String iterationsOption = denoise ? "iterations" : superres ? "superres-iterations" : "inpaint-iterations";
        int iterations = args.getInt(iterationsOption);
        if (iterations < 1) {
            throw args.error("--" + iterationsOption + " must be >= 1, got " + iterations);
        }
        int width = args.getInt("width");
        int depth = args.getInt("input-depth");
        double regNoise = denoise || superres ? args.getDouble("reg-noise") : 0.0;
        double decay = args.getDouble("ema");
        int evalEvery = Math.max(1, args.getInt("eval-every"));
        int ckptEvery = Math.max(1, args.getInt("checkpoint-every"));
        Device device = args.device();
        Path dir = args.out().resolve(task);
        Files.createDirectories(dir);
        Path ckpt = Checkpoint.file(dir);
        Checkpoint ck = args.resume() ? Checkpoint.resumable(ckpt, NAME, task, log) : null;
        int start = ck == null ? 0 : ck.start(iterations, "iteration", log);
        long seed = ck == null ? args.seed() : ck.seed();

        // The corrupted image and the mask of known pixels (all ones for denoising and super-resolution). For
        // super-resolution the corrupted image is the bicubic upscaling of the x4 smaller image, the baseline.
        Tensor mask;
        Tensor corrupted;
        Tensor lowRes = superres ? shrink(clean.unsqueeze(0)) : null;
        if (superres) {
            mask = Tensor.ones(1, size, size);
            corrupted = F.interpolate(lowRes, new int[] {size, size}, InterpolationMode.BICUBIC, false).clamp(0, 1).squeeze(0);
        } else if (denoise) {
            mask = Tensor.ones(1, size, size);
            corrupted = SyntheticScene.addNoise(clean, args.getDouble("sigma") / 255.0, Seeds.derive(seed, 20));
        } else {
            mask = SyntheticScene.inpaintingMask(size, Seeds.derive(seed, 21));
            corrupted = clean.mul(mask);
        }
        Images.write(clean, dir.resolve("clean.png"));
        Images.write(corrupted, dir.resolve("corrupted.png"));
        if (!denoise && !superres) {
            Images.write(mask, dir.resolve("mask.png"));
        }
        double psnrCorrupted = Metrics.psnr(corrupted, clean, 1.0);
        double ssimCorrupted = Metrics.ssim(corrupted, clean, 1.0);

        Generator.seedGlobal(Seeds.derive(seed, 22, denoise ? 0 : superres ? 2 : 1));
        UNet unet = new UNet(depth, 3, width);
        unet.to(device);
        Outputs outputs = new Outputs(size);
        double lr = superres ? args.getDouble("superres-lr") : args.lr();
        Adam opt = new Adam(unet.parameters(), lr);
        Tensor z = Tensor.uniform(new Generator(Seeds.derive(seed, 23)), 0, 0.1, DType.F32, device, 1, depth, size,
                size);
        Tensor target = corrupted.unsqueeze(0).to(device);
        Tensor known = mask.unsqueeze(0).to(device);
        Tensor targetKnown = target.mul(known);
        Tensor lowResTarget = superres ? lowRes.to(device) : null;

        History history = new History("iteration", "loss", "psnr_output", "psnr_average");
        if (ck != null) {
            ck.restore("model", unet);
            ck.restore("opt", opt);
            ck.restore("outputs", outputs);
            if (ck.meta("history") != null) {
                history = History.fromCsv(ck.meta("history"));
            }
        }
        log.printf(Locale.ROOT, "%s: %dx%d image, UNet(%d, 3, %d) %,d parameters, %d iterations, lr %.3g%s; corrupted "
                        + "PSNR %.2f dB, SSIM %.4f%n", task, size, size, depth, width, unet.numParameters(), iterations,
                lr, denoise ? String.format(Locale.ROOT, ", sigma %s/255, input jitter %.4f", args.get("sigma"),
                        regNoise) : superres ? String.format(Locale.ROOT, ", x%d from %dx%d (corrupted = bicubic)",
                        SUPERRES_SCALE, lowRes.size(3), lowRes.size(2)) : String.format(Locale.ROOT,
                        ", %.1f%% of the pixels missing", 100 * (1 - mask.mean().item())), psnrCorrupted, ssimCorrupted);

        Progress progress = new Progress(1, Math.max(0, iterations - start)).logEvery(args.logEvery()).output(log)
                .unit("it");
        TensorBoardLog tb = TensorBoardLog.open(args, task, log).follow(progress);
        progress.startEpoch(0);
        unet.train();
        for (int it = start; it < iterations; it++) {
            Tensor input = z;
            if (regNoise > 0) {
                input = z.add(Tensor.normal(Seeds.generator(seed, it, 0), 0, regNoise, DType.F32, device, z.shape()));
            }
            opt.zeroGrad();
            Tensor y = unet.forward(input).sigmoid();
            Tensor l = superres ? shrink(y).sub(lowResTarget).square().mean() : y.mul(known).sub(targetKnown).square().mean();
            l.backward();
            opt.step();
            double loss = l.item();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("deep-image-prior: loss is " + loss + " at iteration " + (it + 1));
            }
            outputs.update(y.detach().to(Device.CPU).squeeze(0), decay, it == 0);
            progress.step(1, loss);
            int done = it + 1;
            if (done % evalEvery == 0 || done == iterations) {
                history.add(done, loss, Metrics.psnr(outputs.last(), clean, 1.0),
                        Metrics.psnr(outputs.average(), clean, 1.0));
                tb.epoch(history, unet);
                tb.images("output", outputs.last().clamp(0, 1).unsqueeze(0), done);
            }
            if (done % ckptEvery == 0 || done == iterations) {
                history.writeCsv(dir.resolve("psnr.csv"));
                new Checkpoint(NAME, done, seed).add("model", unet).add("opt", opt).add("outputs", outputs)
                        .meta(Checkpoint.MODE, task).meta("history", history.toCsv()).save(ckpt);
            }
        }
        if (start < iterations) {
            progress.endEpoch(task);
        }
        tb.close();
        // from here on everything derives from the last checkpoint, so that resuming a finished run (one killed after
        // its last checkpoint) writes the same outputs
        double loss = history.last("loss");
        Tensor output = outputs.last();
        Tensor restored = outputs.average().clamp(0, 1);
        double psnrRestored = Metrics.psnr(restored, clean, 1.0);
        double ssimRestored = Metrics.ssim(restored, clean, 1.0);
        double psnrLast = Metrics.psnr(output, clean, 1.0);
        Images.write(restored, dir.resolve("restored.png"));
        Images.write(output.clamp(0, 1), dir.resolve("last-output.png"));
        Plots.panels(List.of(clean, corrupted, restored), List.of("clean", "corrupted", "restored"), 1, 4,
                dir.resolve("comparison.png"));
        history.writeCsv(dir.resolve("psnr.csv"));
        history.chart("Deep Image Prior: " + task, "PSNR vs clean (dB)", dir.resolve("psnr.png"), "psnr_output",
                "psnr_average");
        TaskResult r = new TaskResult(task, iterations, psnrCorrupted, ssimCorrupted, psnrRestored, ssimRestored,
                psnrLast, loss, dir);
        TextFiles.write(dir.resolve(RESULTS_FILE), r.summary() + "\n");
        log.println(r.summary());
        return r;
    }

    /**
     * The last output and the exponential moving average of the outputs, as module buffers so that they go into the
     * checkpoint (a resumed finished run writes the same images). They live on the CPU like the outputs, not on the
     * default device: {@code --resume} loads the checkpoint onto the buffers' device, so with
     * {@code -Dkasane.device=opencl} they would move to the GPU and mix devices.
     */
    static final class Outputs extends Module {
        Outputs(int size) {
            registerBuffer("average", Tensor.zeros(DType.F32, Device.CPU, 3, size, size));
            registerBuffer("last", Tensor.zeros(DType.F32, Device.CPU, 3, size, size));
        }

        void update(Tensor output, double decay, boolean first) {
            Tensor a = buffer("average");
            setBuffer("average", first ? output.clone() : a.mul(decay).add(output.mul(1 - decay)));
            setBuffer("last", output);
        }

        Tensor average() {
            return buffer("average");
        }

        Tensor last() {
            return buffer("last");
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("Outputs holds buffers; it has no forward");
        }
    }

    /** The x4 smaller image of super-resolution: antialiased bicubic, differentiable (the loss compares through it). */
    static Tensor shrink(Tensor nchw) {
        return F.interpolate(nchw, new int[] {nchw.size(2) / SUPERRES_SCALE, nchw.size(3) / SUPERRES_SCALE},
                InterpolationMode.BICUBIC, false, true);
    }
}
