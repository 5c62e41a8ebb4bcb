package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.AbstractBatchNorm;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A zoo model that maps images to class logits: a backbone that computes features and a head, the final
 * {@link Linear} layer(s), that turns them into {@link #numClasses()} logits. Every zoo classifier supports transfer
 * learning the same way:
 *
 * <pre>{@code
 * var model = EfficientNet.efficientnetB0(1000);
 * model.loadStateDict(Safetensors.load(Path.of("efficientnet_b0.safetensors")), true);   // torchvision's weights
 * model.replaceHead(10);               // a freshly initialised head for 10 classes
 * model.freezeBackbone(true);          // train only the head ...
 * var opt = new SGD(List.of(           // ... or train the backbone too, with a lower learning rate
 *         new ParamGroup<>(model.backboneParameters(), o -> o.lr(1e-3)),
 *         new ParamGroup<>(model.headParameters())), SGD.options().lr(1e-2).momentum(0.9));
 * }</pre>
 */
public abstract class ImageClassifier extends Module {
    /** The classifiers by torchvision's names ({@code torchvision.models.get_model}), with torchvision's defaults. */
    private static final Map<String, IntFunction<ImageClassifier>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("alexnet", AlexNet::new);
        BY_NAME.put("vgg11", VGG::vgg11);
        BY_NAME.put("vgg11_bn", VGG::vgg11Bn);
        BY_NAME.put("vgg13", VGG::vgg13);
        BY_NAME.put("vgg13_bn", VGG::vgg13Bn);
        BY_NAME.put("vgg16", VGG::vgg16);
        BY_NAME.put("vgg16_bn", VGG::vgg16Bn);
        BY_NAME.put("vgg19", VGG::vgg19);
        BY_NAME.put("vgg19_bn", VGG::vgg19Bn);
        BY_NAME.put("googlenet", GoogLeNet::new);
        BY_NAME.put("mobilenet_v2", MobileNetV2::new);
        BY_NAME.put("efficientnet_b0", EfficientNet::efficientnetB0);
        BY_NAME.put("efficientnet_b1", EfficientNet::efficientnetB1);
        BY_NAME.put("efficientnet_b2", EfficientNet::efficientnetB2);
        BY_NAME.put("efficientnet_b3", EfficientNet::efficientnetB3);
        BY_NAME.put("resnet18", n -> ResNet.resnet18(n, false));
        BY_NAME.put("resnet34", n -> ResNet.resnet34(n, false));
        BY_NAME.put("resnet50", n -> ResNet.resnet50(n, false));
    }

    private boolean backboneFrozen;

    /**
     * Checks the number of classes before a subclass builds its layers.
     *
     * @param numClasses outputs of the head
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    protected ImageClassifier(int numClasses) {
        checkClasses(numClasses, "");
    }

    private void checkClasses(int n, String method) {
        if (n < 1) {
            throw new IllegalArgumentException(typeName() + method + ": numClasses must be >= 1, got " + n);
        }
    }

    /** The names {@link #create} knows: torchvision's, from {@code alexnet} to {@code resnet50}. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(BY_NAME.keySet());
    }

    /**
     * The classifier torchvision's {@code get_model(name, num_classes=numClasses)} builds, with torchvision's defaults
     * (ResNets with the ImageNet stem, GoogLeNet with auxiliary heads and without {@code transform_input}).
     *
     * @throws IllegalArgumentException if the name is unknown (the message lists {@link #names()}) or
     *     {@code numClasses < 1}
     */
    public static ImageClassifier create(String name, int numClasses) {
        IntFunction<ImageClassifier> make = BY_NAME.get(name);
        if (make == null) {
            throw new IllegalArgumentException("ImageClassifier.create: unknown model '" + name + "', expected one of "
                    + BY_NAME.keySet());
        }
        return make.apply(numClasses);
    }

    /** Number of output classes: the outputs of the head. */
    public final int numClasses() {
        return head().get(0).weight().size(0);
    }

    /**
     * The head: the final Linear layer, for GoogLeNet also the final Linear layers of its auxiliary classifiers, in
     * state-dict order.
     */
    public abstract List<Linear> head();

    /** The dotted names of the head layers ({@code "classifier.6"}), as their state-dict keys start. */
    public final List<String> headNames() {
        Map<Module, String> paths = new IdentityHashMap<>();
        namedModules().forEach((path, m) -> paths.putIfAbsent(m, path));
        List<String> out = new ArrayList<>();
        for (Linear l : head()) {
            out.add(paths.get(l));
        }
        return out;
    }

    /** Puts {@code layer} in the place of {@code head().get(index)} (registered under the same name). */
    protected abstract void setHead(int index, Linear layer);

    /**
     * Replaces every head layer by a freshly initialised Linear with {@code numClasses} outputs (the same inputs
     * and bias, PyTorch's default initialisation, on the device and dtype of the layer it replaces), as
     * {@code model.fc = nn.Linear(512, numClasses)} does in PyTorch; returns this. The state-dict keys stay the
     * same; their shapes follow {@code numClasses}.
     *
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    public final ImageClassifier replaceHead(int numClasses) {
        checkClasses(numClasses, ".replaceHead");
        List<Linear> old = head();
        for (int i = 0; i < old.size(); i++) {
            Tensor w = old.get(i).weight();
            Linear fresh = new Linear(w.size(1), numClasses, old.get(i).bias() != null);
            fresh.to(w.dtype());
            fresh.to(w.device());
            setHead(i, fresh);
        }
        return this;
    }

    /** Checks that {@code x} is a batch of RGB images {@code [N, 3, H, W]}, naming the model otherwise. */
    protected final void requireImages(Tensor x) {
        requireRank(x, "(N, 3, H, W)", 4);
        requireSize(x, 1, 3, "channels", "(N, 3, H, W)");
    }

    /** The parameters of the head layers. */
    public final List<Tensor> headParameters() {
        List<Tensor> out = new ArrayList<>();
        for (Linear l : head()) {
            out.addAll(l.parameters());
        }
        return out;
    }

    /** Every parameter that is not the head's, in state-dict order. */
    public final List<Tensor> backboneParameters() {
        Map<Tensor, Boolean> head = new IdentityHashMap<>();
        for (Tensor p : headParameters()) {
            head.put(p, Boolean.TRUE);
        }
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : parameters()) {
            if (!head.containsKey(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Freezes ({@code true}) or unfreezes the backbone; returns this. Frozen, its parameters do not require grad
     * and {@link #train(boolean) train(true)} leaves its batch-norm layers in eval mode, so that their running
     * statistics stay those of the loaded weights while the head (and dropout) train.
     */
    public final ImageClassifier freezeBackbone(boolean frozen) {
        for (Tensor p : backboneParameters()) {
            p.requiresGrad(!frozen);
        }
        backboneFrozen = frozen;
        train(isTraining());
        return this;
    }

    /** Whether {@link #freezeBackbone} froze the backbone. */
    public final boolean backboneFrozen() {
        return backboneFrozen;
    }

    /** Sets the mode of every layer; with a frozen backbone, batch-norm layers stay in eval mode. Returns this. */
    @Override
    public Module train(boolean mode) {
        super.train(mode);
        if (mode && backboneFrozen) {
            for (Module m : modules()) {
                if (m instanceof AbstractBatchNorm) {
                    m.train(false);
                }
            }
        }
        return this;
    }
}
