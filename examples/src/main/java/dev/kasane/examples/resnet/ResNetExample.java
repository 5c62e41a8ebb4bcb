package dev.kasane.examples.resnet;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.Classifiers;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.ImageData;
import dev.kasane.examples.common.RunStart;
import dev.kasane.examples.common.UsageException;
import dev.kasane.examples.common.TensorBoardLog;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.OptimizerOptions;
import dev.kasane.optim.ParamGroup;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import dev.kasane.vision.models.ImageClassifier;
import dev.kasane.vision.models.ResNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * ResNet-18 with the CIFAR stem on Fashion-MNIST padded to 32x32 and repeated to 3 channels, in two modes:
 * <ul>
 *   <li><b>training</b> (default): the whole network with Adam (lr 1e-3), or {@code --optimizer sgd} (momentum
 *       0.9, weight decay 5e-4; use {@code --lr 0.1} for full-data runs), for {@code --epochs} (default 1)
 *       epochs;</li>
 *   <li><b>transfer learning</b> ({@code --finetune CKPT}): loads the weights of a checkpoint (e.g. this example's
 *       {@code resnet18.safetensors} or {@code checkpoint.safetensors}, or torchvision's weights saved as
 *       safetensors, whatever their number of classes), gives the model a freshly initialised head
 *       ({@link ImageClassifier#replaceHead}) and trains only that, the backbone frozen
 *       ({@link ImageClassifier#freezeBackbone}: no gradients, batch-norm statistics kept); with
 *       {@code --backbone-lr LR} the backbone trains too, in its own parameter group at that learning rate.</li>
 * </ul>
 * {@code --model NAME} replaces ResNet-18 by any zoo classifier under its torchvision name
 * ({@link ImageClassifier#names()}: {@code mobilenet_v2}, {@code efficientnet_b0}, {@code vgg11_bn}, ...);
 * {@code --size S} resizes the 32x32 images to SxS (AlexNet needs 63 or more).
 * On two CPU cores a full epoch (60,000 images) takes a long time: use {@code --limit} and {@code --test-limit}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar examples/target/examples.jar resnet --limit 4096 --test-limit 1000 --out out/resnet
 * java --add-modules jdk.incubator.vector -jar examples/target/examples.jar resnet --finetune out/resnet/resnet18.safetensors \
 *      --limit 4096 --test-limit 1000 --out out/resnet-finetune
 * </pre>
 */
public final class ResNetExample {
    /** The name in {@code Main} and in checkpoints. */
    public static final String NAME = "resnet";
    /** File of the final weights (a plain state dict) in the output directory. */
    public static final String WEIGHTS_FILE = "resnet18.safetensors";

    private ResNetExample() {
    }

    /**
     * What a run produced.
     *
     * @param history one row per epoch
     * @param out the output directory
     * @param trainableParameters number of parameter elements that were trained
     * @param totalParameters number of parameter elements of the model
     */
    public record Result(History history, Path out, long trainableParameters, long totalParameters) {
    }

    /** How {@code Main} lists and runs this example. */
    public static final Example EXAMPLE = new Example(ResNetExample::parser, ResNetExample::run);

    /** The command line of this example. */
    public static Args.Parser parser() {
        return Args.parser(NAME,
                "ResNet-18 (CIFAR stem) or any zoo classifier (--model) on Fashion-MNIST; --finetune CKPT: a new head",
                """
                Trains ResNet-18 (CIFAR stem) on Fashion-MNIST padded to 32x32 and repeated to 3 channels;
                with --finetune CKPT, loads CKPT, freezes the backbone and trains only a new fc head.""")
                .set("epochs", "1")
                .option("optimizer", "NAME", "adam, or sgd (momentum 0.9, weight decay 5e-4; try --lr 0.1)", "adam")
                .option("finetune", "CKPT", "transfer learning: load CKPT (checkpoint or weights), train a new head", null)
                .option("backbone-lr", "LR", "with --finetune, also train the backbone at this learning rate", null)
                .option("model", "NAME", "a zoo classifier by torchvision name instead of ResNet-18 (CIFAR stem): "
                        + String.join(", ", ImageClassifier.names()), null)
                .option("size", "S", "resize the 32x32 images to SxS", "32")
                .option("eval-batch-size", "N", "batch size for evaluation", "256")
                .option("test-limit", "N", "use only the first N test samples, 0 = all", "0")
                .examples("... resnet --limit 4096 --test-limit 1000 --out out/resnet",
                        "... resnet --finetune out/resnet/" + WEIGHTS_FILE + " --limit 4096 --test-limit 1000 --out "
                                + "out/resnet-finetune",
                        "... resnet --model mobilenet_v2 --size 64 --limit 4096 --test-limit 1000 --out out/mobilenet",
                        "... resnet --optimizer sgd --lr 0.1 --out out/resnet-sgd   (all 60,000 images: slow on a CPU)");
    }

    /** Pads [N, 1, 28, 28] in [0, 1] to 32x32 with black, then normalises like the LeNet example. */
    public static ImageData load(Path dir, boolean train, int limit) throws IOException {
        return ImageData.fashionMnist(dir, train, limit, 0, 1).map(x -> x.pad(new int[] {2, 2, 2, 2}, PadMode.CONSTANT, 0)
                .sub(0.2860).div(0.3530).contiguous());
    }

    /** The grey batch [N, 1, 32, 32] repeated to [N, 3, 32, 32]. */
    public static Tensor toRgb(Tensor x) {
        return x.expand(x.size(0), 3, x.size(2), x.size(3)).contiguous();
    }

    /** The batch preparation: {@link #toRgb}, then a bilinear resize to {@code size} x {@code size} unless it is 32. */
    static UnaryOperator<Tensor> prepare(int size) {
        return size == 32 ? ResNetExample::toRgb
                : x -> F.interpolate(toRgb(x), new int[] {size, size}, InterpolationMode.BILINEAR, false);
    }

    /**
     * Training from scratch, one group of every parameter; fine-tuning, the head, and the backbone in a group of its
     * own at {@code backboneLr} unless it is frozen.
     */
    static <O extends OptimizerOptions<O>> List<ParamGroup<O>> paramGroups(ImageClassifier model, boolean finetune,
            double backboneLr) {
        if (!finetune) {
            return List.of(new ParamGroup<>(model.parameters()));
        }
        List<ParamGroup<O>> groups = new ArrayList<>();
        if (!model.backboneFrozen()) {
            groups.add(new ParamGroup<>(model.backboneParameters(), o -> o.lr(backboneLr)));
        }
        groups.add(new ParamGroup<>(model.headParameters()));
        return groups;
    }

    /** The model of {@code --model} (torchvision's name), or ResNet-18 with the CIFAR stem. */
    static ImageClassifier model(String name, int classes) {
        if (name == null) {
            return ResNet.resnet18(classes, true);
        }
        if (!ImageClassifier.names().contains(name)) {
            throw new UsageException("resnet: --model must be one of " + ImageClassifier.names() + ", got '" + name + "'", 2);
        }
        return ImageClassifier.create(name, classes);
    }

    /** Runs the example, printing its progress and results to {@code out}. */
    public static Result run(Args args, PrintStream out) throws IOException {
        String optName = args.get("optimizer").toLowerCase(Locale.ROOT);
        if (!optName.equals("sgd") && !optName.equals("adam")) {
            throw args.error("--optimizer must be sgd or adam, got '" + optName + "'");
        }
        Path finetune = args.getPath("finetune");
        boolean trainBackbone = args.has("backbone-lr");
        if (trainBackbone && finetune == null) {
            throw args.error("--backbone-lr needs --finetune");
        }
        String modelName = args.get("model");
        String label = modelName == null ? "ResNet-18" : modelName;
        UnaryOperator<Tensor> prepare = prepare(args.getInt("size"));
        String mode = finetune != null ? "finetune" : "train";
        Path dir = args.createOut(Checkpoint.FILE_NAME);
        Device device = args.device();
        int epochs = args.epochs();
        out.println("resnet: " + args);
        RunStart from = RunStart.of(args, Checkpoint.file(dir), mode, epochs, "epoch", out);

        ImageData train = load(args.dataDir(), true, args.limit());
        ImageData test = load(args.dataDir(), false, args.getInt("test-limit"));
        out.printf(Locale.ROOT, "data: %d training and %d test images (3x%dx%d); device %s%n", train.size(),
                test.size(), args.getInt("size"), args.getInt("size"), device);

        Generator.seedGlobal(from.seed());
        int classes = train.classes().size();
        ImageClassifier model = model(modelName, classes);
        String what = "training all layers";
        if (finetune != null) {
            Map<String, Tensor> state = Checkpoint.loadModuleState(finetune, null);
            Tensor head = state.get(model.headNames().get(0) + ".weight");
            if (head != null && head.dim() == 2) {
                model.replaceHead(head.size(0));           // the checkpoint's classes, e.g. torchvision's 1000
            }
            model.loadStateDict(state, true);
            model.replaceHead(classes);                    // a fresh head for these classes
            model.freezeBackbone(!trainBackbone);
            what = "fine-tuning a new " + String.join(", ", model.headNames()) + " (backbone from " + finetune
                    + (trainBackbone ? ", lr " + args.getDouble("backbone-lr") + ")" : ", frozen)");
        }
        model.to(device);
        long trainableCount = 0;
        for (Tensor p : model.parameters()) {
            trainableCount += p.requiresGrad() ? p.numel() : 0;
        }
        long total = model.numParameters();
        out.printf(Locale.ROOT, "%s: %,d parameters, %,d trainable; %s%n", label, total, trainableCount, what);
        double backboneLr = trainBackbone ? args.getDouble("backbone-lr") : Double.NaN;
        Optimizer<?> opt = optName.equals("sgd")
                ? new SGD(paramGroups(model, finetune != null, backboneLr), SGD.options().lr(args.lr()).momentum(0.9)
                        .weightDecay(5e-4))
                : new Adam(paramGroups(model, finetune != null, backboneLr), Adam.options().lr(args.lr()));

        String title = label + (finetune != null ? " head fine-tuning on Fashion-MNIST" : " on Fashion-MNIST");
        TensorBoardLog tb = TensorBoardLog.open(args, out);
        // (model.train() in each epoch keeps a frozen backbone's batch norms in eval mode)
        History history = new Classifiers.Run(args, out, dir, title, args.getInt("eval-batch-size"), device,
                prepare).fit(model, opt, train, test, from, tb);
        tb.close();
        Safetensors.save(model.stateDict(), dir.resolve(modelName == null ? WEIGHTS_FILE : modelName + ".safetensors"));
        out.printf(Locale.ROOT, "final test accuracy %.2f%%; outputs in %s%n", 100 * history.last("test_acc"),
                dir.toAbsolutePath());
        return new Result(history, dir, trainableCount, total);
    }
}
