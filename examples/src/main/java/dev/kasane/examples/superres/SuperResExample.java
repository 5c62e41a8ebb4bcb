package dev.kasane.examples.superres;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.Progress;
import dev.kasane.examples.common.Seeds;
import dev.kasane.examples.common.UsageException;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.optim.Adam;
import dev.kasane.optim.CosineAnnealingLR;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.metrics.SuperResolutionMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Single-image super-resolution of real photographs: SRCNN, ESPCN and an EDSR-style residual network are trained on
 * random patches of some images and evaluated on held-out whole images at x2, x3 and x4, against bicubic
 * interpolation.
 *
 * <p>Data: the images of {@code --data} (by default scikit-image's photographs in Debian's python3-skimage folder;
 * {@code --images all} takes every PNG/JPEG of any folder), the last {@code --holdout} of them held out. Each image
 * is shrunk {@code scale} times with antialiased bicubic interpolation and quantised to 8 bits ({@link ScaledImage}).
 * The networks work on the BT.601 luma (Y) channel, as SRCNN and ESPCN do, and learn the residual over bicubic
 * ({@link SrMethod}); the colour of their output is the bicubic upscaling's chroma. Training: MSE (or, with
 * {@code --loss l1}, mean absolute error, as EDSR) on random {@code --patch}-pixel low-resolution patches (flipped and
 * rotated at random), Adam with a cosine learning-rate decay, {@code --epochs} epochs of {@code --steps} steps per
 * model and scale, or with {@code --minutes} a training-time budget per model and scale ({@link TimeBudget}).
 *
 * <p>Reported on the held-out images, as the super-resolution papers do: PSNR on Y with a border of {@code scale}
 * pixels shaved, and SSIM on the same ({@link SuperResolutionMetrics}). Outputs in {@code --out}: {@code results.md}
 * (the table; with {@code --self-ensemble} each model's output is the mean over the 8 flips and transposes of the
 * input), {@code results.csv} (per image), {@code crops-x<s>.png} (labelled crops: bicubic | each model |
 * original) and per model and scale a folder {@code <model>-x<s>} with the checkpoint ({@code --resume} continues
 * it), {@code metrics.csv} and the final weights.
 */
public final class SuperResExample {
    /** Name under Main. */
    public static final String NAME = "superres";

    private SuperResExample() {
    }

    /**
     * One method at one scale, averaged over the held-out images.
     *
     * @param method "bicubic", "srcnn", "espcn" or "edsr"
     * @param scale the upscaling factor
     * @param psnr mean PSNR (dB) on Y, border shaved
     * @param ssim mean SSIM on Y, border shaved
     * @param trainSeconds training time of the model (0 for bicubic), summed over resumed runs
     */
    public record Score(String method, int scale, double psnr, double ssim, double trainSeconds) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(SuperResExample::parser, SuperResExample::run);

    /** The values of {@code --loss}. */
    private static final List<String> LOSSES = List.of("mse", "l1");

    /** The command-line parser with this example's options and defaults. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "Super-resolution of photographs: SRCNN, ESPCN, EDSR vs bicubic at x2/x3/x4 (PSNR/SSIM on Y, crops)",
                """
                Super-resolution of real photographs (scikit-image's sample images by default): SRCNN, \
                ESPCN and an EDSR-style residual network trained on random patches of the luma channel, \
                evaluated on held-out whole images at each scale against bicubic interpolation: PSNR and SSIM on \
                Y (BT.601) with a border of <scale> pixels shaved. Writes results.md, results.csv and labelled \
                crops (bicubic | models | original) to <out>. --epochs and --steps count per model and scale; \
                --limit is not used.""")
                .set("epochs", "5")
                .set("batch-size", "16")
                .set("lr", "1e-3")
                .set("data", SrImages.SKIMAGE_DATA.toString())
                .option("steps", "N", "training steps per epoch", "100")
                .option("scales", "LIST", "upscaling factors", "2,3,4")
                .option("models", "LIST", "srcnn, espcn, edsr", "srcnn,espcn,edsr")
                .option("images", "LIST", "image names in --data without extension, the last --holdout held out; 'all': "
                        + "every PNG/JPEG, sorted", SrImages.SKIMAGE_PHOTOS)
                .option("holdout", "N", "images held out for evaluation", "3")
                .option("patch", "N", "low-resolution training patch size in pixels", "24")
                .option("features", "N", "EDSR: channels", "32")
                .option("blocks", "N", "EDSR: residual blocks", "6")
                .option("crop", "N", "size of the crops in crops-x<s>.png, in original pixels", "64")
                .option("loss", "NAME", "training loss: mse or l1 (mean absolute error, as EDSR)", "mse")
                .option("minutes", "M", "training-time budget per model and scale in minutes, replacing --epochs: "
                        + "epochs of --steps steps until the budget is spent, the cosine decay following the clock; 0: "
                        + "--epochs", "0")
                .flag("self-ensemble", "evaluate each model on the 8 flips and transposes of an image, outputs turned back "
                        + "and averaged (EDSR+): 8 times the evaluation work")
                .examples("superres --out out/superres", "superres --scales 3 --models edsr --epochs 20 --resume",
                        "superres --data my-photos --images all --holdout 2")
                .note("""
                scikit-image's photographs: apt-get install python3-skimage (or: apt-get download python3-skimage \
                && dpkg -x python3-skimage_*.deb DIR, then --data DIR/usr/lib/python3/dist-packages/skimage/data)""");
    }

    /**
     * Trains and evaluates every model at every scale the arguments name.
     *
     * @return the scores, bicubic first, per scale
     */
    public static List<Score> run(Args args, PrintStream log) throws IOException {
        int[] scales = scales(args.get("scales"));
        List<SrMethod> methods = new ArrayList<>();
        for (String m : args.get("models").split(",")) {
            try {
                methods.add(SrMethod.parse(m));
            } catch (IllegalArgumentException e) {
                throw usage("--models: " + e.getMessage());
            }
        }
        int holdout = args.getInt("holdout");
        int crop = args.getInt("crop");
        if (holdout < 1 || crop < 16 || args.getInt("patch") < 4 || args.getInt("steps") < 1) {
            throw usage("--holdout must be >= 1, --crop >= 16, --patch >= 4 and --steps >= 1");
        }
        if (!LOSSES.contains(args.get("loss"))) {
            throw usage("--loss must be mse or l1, got '" + args.get("loss") + "'");
        }
        if (!(args.getDouble("minutes") >= 0)) {
            throw usage("--minutes must be >= 0 (0: train for --epochs), got " + args.get("minutes"));
        }
        SrImages images = SrImages.load(args.dataDir(), args.get("images"), holdout, crop);
        Path out = args.createOut();
        log.printf(Locale.ROOT, "superres: training images %s; held out %s%n", names(images.train()), names(images.test()));
        List<Score> scores = new ArrayList<>();
        StringBuilder csv = new StringBuilder("scale,method,image,psnr_y,ssim_y\n");
        for (int scale : scales) {
            List<ScaledImage> train = images.train().stream().map(i -> ScaledImage.of(i.name(), i.rgb(), scale)).toList();
            List<ScaledImage> test = images.test().stream().map(i -> ScaledImage.of(i.name(), i.rgb(), scale)).toList();
            Map<String, List<Tensor>> outputs = new LinkedHashMap<>();
            outputs.put("bicubic", test.stream().map(ScaledImage::bicubic).toList());
            for (SrMethod m : methods) {
                Module model = train(m, scale, train, args, log);
                outputs.put(m.id(), upscale(model, m, test, args.flag("self-ensemble")));
            }
            for (Map.Entry<String, List<Tensor>> e : outputs.entrySet()) {
                double psnr = 0;
                double ssim = 0;
                for (int i = 0; i < test.size(); i++) {
                    ScaledImage t = test.get(i);
                    double p = SuperResolutionMetrics.psnrY(e.getValue().get(i), t.hr(), scale);
                    double s = SuperResolutionMetrics.ssimY(e.getValue().get(i), t.hr(), scale);
                    csv.append(String.format(Locale.ROOT, "%d,%s,%s,%.4f,%.5f%n", scale, e.getKey(), t.name(), p, s));
                    psnr += p / test.size();
                    ssim += s / test.size();
                }
                double seconds = e.getKey().equals("bicubic") ? 0 : trainSeconds(runDir(out, e.getKey(), scale));
                Score score = new Score(e.getKey(), scale, psnr, ssim, seconds);
                scores.add(score);
                log.printf(Locale.ROOT, "x%d %-8s PSNR-Y %.2f dB  SSIM-Y %.4f%n", scale, e.getKey(), psnr, ssim);
            }
            writeCrops(test, outputs, crop, out.resolve("crops-x" + scale + ".png"));
        }
        Files.writeString(out.resolve("results.csv"), csv);
        String table = table(scores, scales);
        Files.writeString(out.resolve("results.md"), table);
        log.print("\n" + table);
        return scores;
    }

    /**
     * Trains (or, when its checkpoint is complete, loads) one model at one scale: {@code --epochs} epochs with a cosine
     * decay over their steps, or with {@code --minutes} epochs until the time budget is spent.
     */
    private static Module train(SrMethod method, int scale, List<ScaledImage> images, Args args, PrintStream log)
            throws IOException {
        TimeBudget budget = args.getDouble("minutes") > 0 ? new TimeBudget(args.getDouble("minutes") * 60) : null;
        int epochs = args.epochs();
        int steps = args.getInt("steps");
        int batch = args.batchSize();
        long seed = args.seed();
        boolean l1 = args.get("loss").equals("l1");
        Device device = args.device();
        Path dir = runDir(args.out(), method.id(), scale);
        Generator.seedGlobal(Seeds.derive(seed, scale, method.ordinal()));
        Module model = method.create(scale, args.getInt("features"), args.getInt("blocks"));
        model.to(device);
        Adam opt = new Adam(model.parameters(), args.lr());
        CosineAnnealingLR schedule = budget == null ? new CosineAnnealingLR(opt, epochs * steps) : null;
        History history = new History("epoch", "train_loss", "seconds");
        int start = 0;
        if (args.resume()) {
            // the mode names model and scale: a checkpoint of another run is refused
            Checkpoint ck = Checkpoint.resumable(Checkpoint.file(dir), NAME, method.id() + " x" + scale, log);
            if (ck != null) {
                ck.restore("model", model);
                ck.restore("opt", opt);
                if (schedule != null) {
                    ck.restore("schedule", schedule);
                }
                start = budget == null ? ck.start(epochs, "epoch", log) : ck.epoch();
                history = ck.history(history);
            }
        }
        double spent = sum(history.column("seconds"));
        log.printf(Locale.ROOT, "%s x%d: %,d parameters, %s of %d steps, batch %d, %d-pixel patches, %s loss%n",
                method.id(), scale, model.numParameters(), budget == null ? epochs + " epochs"
                        : "epochs for " + args.get("minutes") + " minutes", steps, batch, args.getInt("patch"),
                args.get("loss"));
        PatchSampler sampler = new PatchSampler(images, args.getInt("patch"), method.upscaledInput());
        double epochSeconds = Double.NaN;
        int epoch = start;
        for (; budget == null ? epoch < epochs : !budget.spent(spent); epoch++) {
            int planned = budget == null ? epochs : budget.plannedEpochs(epoch, spent, epochSeconds);
            Progress progress = new Progress(planned, steps).logEvery(args.logEvery()).output(log).unit("patch");
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, scale, method.ordinal(), epoch));
            model.train();
            progress.startEpoch(epoch);
            long epochStart = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                if (budget != null) {
                    double elapsed = spent + (System.nanoTime() - epochStart) / 1e9;
                    if (budget.spent(elapsed)) {
                        break;
                    }
                    for (var group : opt.paramGroups()) {
                        group.lr(budget.lr(args.lr(), elapsed));
                    }
                }
                PatchSampler.Batch b = sampler.next(batch, random);
                opt.zeroGrad();
                Tensor out = model.forward(b.input().to(device));
                Tensor target = b.residual().to(device);
                Tensor loss = l1 ? F.l1Loss(out, target, Reduction.MEAN) : F.mseLoss(out, target);
                loss.backward();
                opt.step();
                if (schedule != null) {
                    schedule.step();
                }
                double l = loss.item();
                if (!Double.isFinite(l)) {
                    throw new IllegalStateException(NAME + ": " + method.id() + " x" + scale + " loss is " + l + " at epoch "
                            + (epoch + 1) + " step " + (s + 1) + " (try a lower --lr)");
                }
                progress.step(batch, l);
            }
            Progress.Summary summary = progress.endEpoch(method.id() + " x" + scale);
            epochSeconds = summary.seconds();
            spent += summary.seconds();
            history.add(epoch + 1, summary.meanLoss(), summary.seconds());
            Checkpoint ck = new Checkpoint(NAME, epoch + 1, seed).add("model", model).add("opt", opt);
            if (schedule != null) {
                ck.add("schedule", schedule);
            }
            ck.meta(Checkpoint.MODE, method.id() + " x" + scale).meta("history", history.toCsv());
            ck.save(Checkpoint.file(dir));
            history.writeCsv(dir.resolve("metrics.csv"));
        }
        if (epoch == start) {
            log.printf(Locale.ROOT, "%s x%d: already trained (%d epochs, %s; %s)%n", method.id(), scale, start,
                    Progress.duration(spent), dir);
        }
        Safetensors.save(model.stateDict(), dir.resolve(method.id() + "-x" + scale + ".safetensors"));
        return model;
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    /** The model's colour reconstructions of the held-out images (luma from the model, chroma from bicubic). */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    private static List<Tensor> upscale(Module model, SrMethod method, List<ScaledImage> images,
            boolean selfEnsemble) {
        model.eval();
        List<Tensor> out = new ArrayList<>();
        try (var g = Autograd.noGrad()) {
            for (ScaledImage im : images) {
                out.add(im.withLuma(method.reconstructLuma(model, im, selfEnsemble)));
            }
        }
        return out;
    }

    private static Path runDir(Path out, String method, int scale) {
        return out.resolve(method + "-x" + scale);
    }

    /** The training seconds recorded in a run's metrics.csv (0 if there is none). */
    private static double trainSeconds(Path dir) throws IOException {
        Path f = dir.resolve("metrics.csv");
        if (!Files.exists(f)) {
            return 0;
        }
        return sum(History.fromCsv(Files.readString(f)).column("seconds"));
    }

    /** One row per method, PSNR / SSIM per scale, and the gain over bicubic. */
    static String table(List<Score> scores, int[] scales) {
        StringBuilder sb = new StringBuilder("| method |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int s : scales) {
            sb.append(" x").append(s).append(" PSNR-Y (dB) / SSIM-Y |");
            rule.append("---|");
        }
        sb.append(" training time |\n").append(rule).append("---|\n");
        List<String> methods = scores.stream().map(Score::method).distinct().toList();
        for (String m : methods) {
            sb.append("| ").append(m).append(" |");
            double seconds = 0;
            for (int s : scales) {
                Score sc = find(scores, m, s);
                Score bic = find(scores, "bicubic", s);
                seconds += sc.trainSeconds();
                sb.append(String.format(Locale.ROOT, " %.2f / %.4f%s |", sc.psnr(), sc.ssim(), m.equals("bicubic") ? ""
                        : String.format(Locale.ROOT, " (%+.2f dB)", sc.psnr() - bic.psnr())));
            }
            sb.append(m.equals("bicubic") ? " - |\n" : " " + Progress.duration(seconds) + " |\n");
        }
        return sb.toString();
    }

    private static Score find(List<Score> scores, String method, int scale) {
        return scores.stream().filter(s -> s.method().equals(method) && s.scale() == scale).findFirst().orElseThrow();
    }

    /** For each held-out image, the most detailed {@code crop x crop} window of every output and of the original. */
    private static void writeCrops(List<ScaledImage> test, Map<String, List<Tensor>> outputs, int crop, Path file)
            throws IOException {
        List<String> columns = new ArrayList<>(outputs.keySet().stream().map(k -> k.equals("bicubic") ? k
                : k.toUpperCase(Locale.ROOT)).toList());
        columns.add("original");
        List<String> rowNames = new ArrayList<>();
        List<List<Tensor>> rows = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            ScaledImage t = test.get(i);
            int size = Math.min(crop, Math.min(t.hr().size(1), t.hr().size(2)));
            int[] at = ComparisonSheet.detailedWindow(t.hrY(), size);
            List<Tensor> row = new ArrayList<>();
            for (List<Tensor> images : outputs.values()) {
                row.add(window(images.get(i), at, size));
            }
            row.add(window(t.hr(), at, size));
            rows.add(row);
            rowNames.add(t.name() + " x" + t.scale());
        }
        ComparisonSheet.write(columns, rowNames, rows, Math.max(1, 192 / crop), file);
    }

    private static Tensor window(Tensor chw, int[] at, int size) {
        return chw.narrow(1, at[0], size).narrow(2, at[1], size);
    }

    private static int[] scales(String list) {
        String[] parts = list.split(",");
        int[] s = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                s[i] = 0;
            }
            if (s[i] != 2 && s[i] != 3 && s[i] != 4) {
                throw usage("--scales must list 2, 3 and/or 4, got '" + list + "'");
            }
        }
        return s;
    }

    private static String names(List<SrImages.Named> images) {
        return String.join(", ", images.stream().map(SrImages.Named::name).toList());
    }

    private static UsageException usage(String message) {
        return new UsageException(NAME + ": " + message + "\n(try: " + NAME + " --help)", 2);
    }
}
