package dev.kasane.examples.compress;

import dev.kasane.autograd.Autograd;
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
import dev.kasane.examples.lenet.LeNetExample;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.ModuleList;
import dev.kasane.nn.Prune;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.quantization.HistogramObserver;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.MovingAverageMinMaxObserver;
import dev.kasane.nn.quantization.Observer;
import dev.kasane.nn.quantization.PercentileObserver;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.Quantization;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.plot.LineChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Compresses one model trained on Fashion-MNIST in every way Kasane has, and prints one table of test accuracy, size
 * on disk and inference latency:
 * <ul>
 *   <li>the float32 model (trained here with Adam, checkpointed per epoch, or loaded with {@code --teacher});</li>
 *   <li>int8 post-training static quantization (batch norms folded, ReLUs fused, activations calibrated on
 *       {@code --calibration-batches} training batches with {@code --observer});</li>
 *   <li>int8 quantization-aware training ({@code --finetune-epochs} at a tenth of the learning rate), converted;</li>
 *   <li>iterative global magnitude pruning to each of {@code --sparsities}, fine-tuning after each step (the accuracy
 *       vs sparsity curve is {@code sparsity.png});</li>
 *   <li>structured pruning of half the channels of every convolution whose channels can be removed
 *       ({@link Prune#canShrink}), shrunk into smaller layers and fine-tuned;</li>
 *   <li>a small CNN student trained alone and distilled from the model ({@code --temperature}, {@code --alpha}).</li>
 * </ul>
 * Writes {@code float.safetensors} and each variant's file, {@code compress.md} (the table), {@code results.csv},
 * {@code sparsity.csv} and {@code sparsity.png} to {@code --out}. {@code --resume} continues the float training from
 * its checkpoint; the compression steps, minutes at most, run again.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar examples/target/examples.jar compress --epochs 3 --out out/compress
 * </pre>
 */
public final class CompressExample {
    /** The name in {@code Main} and in checkpoints. */
    public static final String NAME = "compress";
    /** The float model's weights in the output directory (what {@code --teacher} reads). */
    public static final String FLOAT_FILE = "float.safetensors";

    private CompressExample() {
    }

    /**
     * One line of the table.
     *
     * @param method what was done
     * @param accuracy test accuracy in [0, 1]
     * @param bytes size of its safetensors file
     * @param latencyMs median time of one forward pass over the latency batch, in milliseconds
     */
    public record Row(String method, double accuracy, long bytes, double latencyMs) {
    }

    /**
     * What a run produced.
     *
     * @param rows the table, float model first
     * @param sparsity the pruning curve: sparsity and test accuracy per step
     * @param out the output directory
     */
    public record Result(List<Row> rows, History sparsity, Path out) {
        /** The row whose method starts with {@code prefix}. */
        public Row row(String prefix) {
            return rows.stream().filter(r -> r.method().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row " + prefix + " in " + rows));
        }
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(CompressExample::parser, CompressExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME, "Compress a Fashion-MNIST model: int8 PTQ/QAT, pruning, distillation; one table",
                """
                Trains (or loads with --teacher) a model on Fashion-MNIST and compresses it: int8 PTQ and QAT,
                magnitude and channel pruning, distillation into a small CNN; prints and writes one table
                (accuracy, size on disk, latency) and the accuracy vs sparsity chart to --out.""")
                .option("model", "NAME", "model to compress: " + String.join(", ", Architectures.NAMES), "lenet")
                .option("teacher", "FILE", "float weights of --model (a " + FLOAT_FILE + " of an earlier run) instead of "
                        + "training", "")
                .option("finetune-epochs", "N", "epochs of QAT and of fine-tuning after each pruning step", "1")
                .option("student-epochs", "N", "epochs of the distillation student (trained alone and distilled)", "3")
                .option("sparsities", "LIST", "global unstructured sparsity steps, comma-separated", "0.5,0.7,0.8,0.9,0.95")
                .option("observer", "NAME", "activation observer of PTQ: minmax, moving, percentile, histogram", "minmax")
                .option("calibration-batches", "N", "training batches the PTQ observers see", "20")
                .option("temperature", "T", "distillation temperature", "4")
                .option("alpha", "A", "weight of the distillation term (1 - A for the labels)", "0.7")
                .option("latency-batch", "N", "images per timed forward pass", "256")
                .option("eval-batch-size", "N", "batch size for evaluation", "500")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .set("epochs", "3")
                .examples("java --add-modules jdk.incubator.vector -jar examples/target/examples.jar compress --epochs 3 "
                        + "--out out/compress", "... compress --teacher out/compress/" + FLOAT_FILE
                        + " --out out/compress2 --observer percentile");
    }

    /** Runs the example, printing its progress and the table to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        String modelName = args.get("model");
        if (!Architectures.NAMES.contains(modelName)) {
            throw args.error("--model " + modelName + " is not one of " + Architectures.NAMES);
        }
        double[] sparsities = parseSparsities(args);
        Supplier<Observer> observer = observer(args);
        out.println(NAME + ": " + args);
        ImageData train = ImageData.fashionMnist(args.dataDir(), true, args.limit(), LeNetExample.MEAN, LeNetExample.STD);
        ImageData test = ImageData.fashionMnist(args.dataDir(), false, args.getInt("test-limit"), LeNetExample.MEAN,
                LeNetExample.STD);
        int classes = train.classes().size();
        out.printf(Locale.ROOT, "data: %d training and %d test images; device %s%n", train.size(), test.size(), device);
        Setup s = new Setup(args, out, device, dir, train.dataset(), test.dataset(), () -> Architectures.of(modelName, classes));

        Generator.seedGlobal(args.seed());
        Sequential teacher = s.arch.get();
        teacher.to(device);
        if (!args.get("teacher").isEmpty()) {
            loadTeacher(args, teacher);
        } else {
            trainFloat(s, teacher);
        }
        Safetensors.save(teacher.stateDict(), dir.resolve(FLOAT_FILE));
        List<Row> rows = new ArrayList<>();
        rows.add(s.measure("float32", teacher, dir.resolve(FLOAT_FILE)));

        Sequential ptq = s.copy(teacher);
        Quantization.fuse(ptq.eval());
        Quantization.prepare(ptq, observer);
        calibrate(s, ptq, args.getInt("calibration-batches"));
        Quantization.convert(ptq);
        Path ptqFile = dir.resolve("int8-ptq.safetensors");
        Quantization.save(ptq, ptqFile);
        rows.add(s.measure("int8 PTQ (" + args.get("observer") + ")", ptq, ptqFile));

        Sequential qat = s.copy(teacher);
        Quantization.fuse(qat.eval());
        Quantization.prepareQat(qat, () -> new MovingAverageMinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 0,
                0.01));
        s.train("QAT", qat, args.getInt("finetune-epochs"), args.lr() / 10, null);
        Quantization.convert(qat);
        Path qatFile = dir.resolve("int8-qat.safetensors");
        Quantization.save(qat, qatFile);
        rows.add(s.measure("int8 QAT", qat, qatFile));

        History curve = pruneIteratively(s, teacher, sparsities, rows);
        rows.add(pruneChannels(s, teacher));

        Sequential alone = Architectures.student(classes);
        alone.to(device);
        s.train("student", alone, args.getInt("student-epochs"), args.lr(), null);
        rows.add(s.measureSaved("student CNN alone", alone, "student.safetensors"));
        Generator.seedGlobal(args.seed());
        Sequential distilled = Architectures.student(classes);
        distilled.to(device);
        teacher.eval();
        s.train("distilled", distilled, args.getInt("student-epochs"), args.lr(), teacher);
        rows.add(s.measureSaved("student CNN distilled", distilled, "student-distilled.safetensors"));

        String table = table(modelName, rows, s.latencyBatch());
        out.print(table);
        TextFiles.write(dir.resolve("compress.md"), table);
        TextFiles.write(dir.resolve("results.csv"), csv(rows));
        curve.writeCsv(dir.resolve("sparsity.csv"));
        new LineChart("Global magnitude pruning of " + modelName + " on Fashion-MNIST", "sparsity", "test accuracy")
                .markers(true).addSeries("pruned + fine-tuned", curve.column("sparsity"), curve.column("test_acc"))
                .save(dir.resolve("sparsity.png"));
        out.println("outputs in " + dir.toAbsolutePath());
        return new Result(rows, curve, dir);
    }

    /** What every step needs. */
    private record Setup(Args args, PrintStream out, Device device, Path dir, TensorDataset trainSet,
                         TensorDataset testSet, Supplier<Sequential> arch) {
        Sequential copy(Sequential model) {
            Sequential c = arch.get();
            c.to(device);
            c.loadStateDict(model.stateDict(), true);
            return c;
        }

        double accuracy(Module model) {
            return Classifiers.evaluate(model, testSet, args.getInt("eval-batch-size"), device, null, null).accuracy();
        }

        /**
         * Trains {@code model} with Adam for {@code epochs}: cross entropy, or, with a {@code teacher}, the
         * distillation loss against the teacher's logits (computed in eval mode without gradients).
         */
        void train(String what, Module model, int epochs, double lr, Module teacher) {
            Adam opt = new Adam(model.parameters(), lr);
            int batch = args.batchSize();
            Progress progress = new Progress(epochs, (trainSet.size() + batch - 1) / batch).logEvery(args.logEvery())
                    .output(out);
            double t = args.getDouble("temperature");
            double alpha = args.getDouble("alpha");
            for (int epoch = 0; epoch < epochs; epoch++) {
                model.train();
                progress.startEpoch(epoch);
                try (DataLoader<Batch> loader = DataLoader.builder(trainSet).batchSize(batch).shuffle(true)
                        .seed(Seeds.shuffleSeed(args.seed(), epoch)).build()) {
                    for (Batch b : loader) {
                        Tensor x = b.input().to(device);
                        Tensor y = b.target().to(device);
                        Tensor logits = model.forward(x);
                        Tensor loss;
                        if (teacher == null) {
                            loss = F.crossEntropy(logits, y);
                        } else {
                            Tensor soft;
                            try (var g = Autograd.noGrad()) {
                                soft = teacher.forward(x);
                            }
                            loss = F.distillationLoss(logits, soft, y, t, alpha);
                        }
                        opt.zeroGrad();
                        loss.backward();
                        opt.step();
                        progress.step(b.batchSize(), loss.item());
                    }
                }
                progress.printSummary(progress.stopEpoch(), what);
            }
            model.eval();
        }

        Row measureSaved(String method, Module model, String file) throws IOException {
            Path f = dir.resolve(file);
            Safetensors.save(model.stateDict(), f);
            return measure(method, model, f);
        }

        Row measure(String method, Module model, Path file) throws IOException {
            model.eval();
            double acc = accuracy(model);
            Row row = new Row(method, acc, Files.size(file), latency(model));
            out.printf(Locale.ROOT, "%s: test accuracy %.2f%%, %s, %.2f ms per %d images%n", method, 100 * acc,
                    size(row.bytes()), row.latencyMs(), latencyBatch());
            return row;
        }

        int latencyBatch() {
            return Math.min(args.getInt("latency-batch"), testSet.size());
        }

        /** The median of five timed forward passes over the first test images, after two untimed ones. */
        double latency(Module model) {
            Tensor x = testSet.tensor(0).narrow(0, 0, latencyBatch()).to(device);
            double[] ms = new double[5];
            try (var g = Autograd.noGrad()) {
                for (int i = -2; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    model.forward(x).toFloatArray();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            return ms[ms.length / 2];
        }
    }

    private static void loadTeacher(Args args, Sequential teacher) {
        Path file = args.getPath("teacher");
        try {
            teacher.loadStateDict(Safetensors.load(file), true);
        } catch (IOException | IllegalArgumentException e) {
            throw args.error("--teacher " + file + " holds no " + args.get("model") + " weights: " + e.getMessage());
        }
    }

    /** Trains the float model with per-epoch checkpoints ({@code --resume} continues them). */
    private static void trainFloat(Setup s, Sequential model) throws IOException {
        Args args = s.args();
        int epochs = args.epochs();
        RunStart from = RunStart.of(args, Checkpoint.file(s.dir()), args.get("model"), epochs, "epoch", s.out());
        Adam opt = new Adam(model.parameters(), args.lr());
        CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
        History history = from.restore(parts, new History(Classifiers.HISTORY_COLUMNS));
        int batch = args.batchSize();
        Progress progress = new Progress(epochs, (s.trainSet().size() + batch - 1) / batch).logEvery(args.logEvery())
                .output(s.out());
        for (int epoch = from.epoch(); epoch < epochs; epoch++) {
            Progress.Summary sum = Classifiers.seededEpoch(model, opt, s.trainSet(), batch, from.seed(), epoch,
                    s.device(), null, progress);
            Classifiers.Evaluation ev = Classifiers.evaluate(model, s.testSet(), args.getInt("eval-batch-size"), s.device(),
                    null, null);
            progress.printSummary(sum, String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * ev.accuracy()));
            history.add(epoch + 1, sum.meanLoss(), ev.loss(), ev.accuracy(), sum.seconds(), sum.throughput());
            history.writeCsv(s.dir().resolve("metrics.csv"));
            history.chart("float " + args.get("model") + " on Fashion-MNIST", "loss / accuracy",
                    s.dir().resolve("curves.png"), "train_loss", "test_loss", "test_acc");
            from.save(parts, epoch + 1, history);
        }
        model.eval();
    }

    private static void calibrate(Setup s, Module model, int batches) {
        try (var g = Autograd.noGrad();
             DataLoader<Batch> loader = DataLoader.builder(s.trainSet()).batchSize(s.args().batchSize()).build()) {
            int n = 0;
            for (Batch b : loader) {
                if (n++ == batches) {
                    break;
                }
                model.forward(b.input().to(s.device()));
            }
        }
    }

    /** Global L1 pruning of every conv and linear weight to each sparsity in turn, fine-tuning after each step. */
    private static History pruneIteratively(Setup s, Sequential teacher, double[] sparsities, List<Row> rows)
            throws IOException {
        Sequential model = s.copy(teacher);
        List<Prune.Target> targets = new ArrayList<>();
        for (Module m : model.modules()) {
            if (m instanceof Conv2d || m instanceof Linear) {
                targets.add(new Prune.Target(m, "weight"));
            }
        }
        History curve = new History("sparsity", "test_acc");
        curve.add(0, rows.get(0).accuracy());
        double done = 0;
        for (double target : sparsities) {
            Prune.globalUnstructured(targets, 1 - (1 - target) / (1 - done));
            done = target;
            s.train(String.format(Locale.ROOT, "pruned to %.0f%%", 100 * target), model, s.args().getInt("finetune-epochs"),
                    s.args().lr() / 10, null);
            double acc = s.accuracy(model);
            s.out().printf(Locale.ROOT, "sparsity %.0f%%: test accuracy %.2f%%%n", 100 * target, 100 * acc);
            curve.add(target, acc);
        }
        for (Prune.Target t : targets) {
            Prune.remove(t.module(), t.name());
        }
        rows.add(s.measureSaved(String.format(Locale.ROOT, "pruned %.0f%% (unstructured, dense file)", 100 * done), model,
                "pruned.safetensors"));
        return curve;
    }

    /** Half the channels (by L1 norm) of every conv whose channels can be removed ({@link Prune#canShrink}), shrunk. */
    private static Row pruneChannels(Setup s, Sequential teacher) throws IOException {
        Sequential model = s.copy(teacher);
        List<ModuleList> containers = new ArrayList<>();
        for (Module m : model.modules()) {
            if (m instanceof ModuleList list) {
                boolean pruned = false;
                for (int i = 0; i < list.size(); i++) {
                    if (Prune.canShrink(list, i)) {
                        Prune.lnStructured(list.get(i), "weight", 0.5, 1, 0);
                        pruned = true;
                    }
                }
                if (pruned) {
                    containers.add(list);
                }
            }
        }
        for (ModuleList list : containers) {
            Prune.shrinkChannels(list);
        }
        s.train("channels pruned", model, s.args().getInt("finetune-epochs"), s.args().lr() / 10, null);
        return s.measureSaved("50% conv channels removed (shrunk)", model, "channels-pruned.safetensors");
    }

    private static double[] parseSparsities(Args args) {
        String[] parts = args.get("sparsities").split(",");
        double[] v = new double[parts.length];
        double prev = 0;
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw args.error("--sparsities " + args.get("sparsities") + ": '" + parts[i] + "' is not a number");
            }
            if (!(v[i] > prev && v[i] < 1)) {
                throw args.error("--sparsities " + args.get("sparsities") + " must increase within (0, 1)");
            }
            prev = v[i];
        }
        return v;
    }

    private static Supplier<Observer> observer(Args args) {
        switch (args.get("observer")) {
            case "minmax":
                return () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
            case "moving":
                return () -> new MovingAverageMinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 0, 0.01);
            case "percentile":
                return () -> new PercentileObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 0.01, 99.99);
            case "histogram":
                return () -> new HistogramObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
            default:
                throw args.error("--observer " + args.get("observer") + " is not one of minmax, moving, percentile, histogram");
        }
    }

    private static String size(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String table(String model, List<Row> rows, int latencyBatch) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%s on Fashion-MNIST (latency: %d images per forward pass, median of 5)%n%n",
                model, latencyBatch));
        sb.append("| method | test accuracy | size on disk | latency (ms) | vs float32 |\n");
        sb.append("|---|---|---|---|---|\n");
        double base = rows.get(0).latencyMs();
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f%% | %s | %.1f | %.2fx |%n", r.method(), 100 * r.accuracy(),
                    size(r.bytes()), r.latencyMs(), base / r.latencyMs()));
        }
        return sb.toString();
    }

    private static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("method,test_acc,bytes,latency_ms\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "\"%s\",%.6f,%d,%.3f%n", r.method(), r.accuracy(), r.bytes(), r.latencyMs()));
        }
        return sb.toString();
    }
}
