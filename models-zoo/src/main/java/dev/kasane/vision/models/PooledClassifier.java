package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Sequential;
import java.util.List;

/**
 * torchvision's most common classifier shape: {@code features} (a Sequential of convolutional layers), adaptive
 * average pooling, flattening and {@code classifier} (a Sequential whose last layer is the head). AlexNet, VGG,
 * MobileNetV2 and EfficientNet.
 */
public abstract class PooledClassifier extends ImageClassifier {
    private Sequential features;
    private AdaptiveAvgPool2d avgpool;
    private Sequential classifier;

    /**
     * Checks the number of classes; the subclass then builds its layers and calls {@link #registerLayers}.
     *
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    PooledClassifier(int numClasses) {
        super(numClasses);
    }

    /**
     * Registers the layers under torchvision's names.
     *
     * @param avgpool the pooling that torchvision registers as {@code avgpool}, or null where its forward pools to
     *     1x1 without a module (MobileNetV2)
     */
    final void registerLayers(Sequential features, AdaptiveAvgPool2d avgpool, Sequential classifier) {
        this.features = registerModule("features", features);
        this.avgpool = avgpool == null ? new AdaptiveAvgPool2d(1) : registerModule("avgpool", avgpool);
        this.classifier = registerModule("classifier", classifier);
    }

    /** The convolutional part ({@code features}). */
    public final Sequential features() {
        return features;
    }

    /** The classifier ({@code classifier}); its last layer is the head. */
    public final Sequential classifier() {
        return classifier;
    }

    /** The last layer of {@code classifier}. */
    @Override
    public final List<Linear> head() {
        return List.of((Linear) classifier.get(classifier.size() - 1));
    }

    @Override
    protected final void setHead(int index, Linear layer) {
        classifier.set(classifier.size() - 1, layer);
    }

    /**
     * Class logits.
     *
     * @param x {@code [N, 3, H, W]} (the class comment says how small H and W may be)
     * @return {@code [N, numClasses]}
     */
    @Override
    public final Tensor forward(Tensor x) {
        requireImages(x);
        return classifier.forward(avgpool.forward(features.forward(x)).flatten(1, -1));
    }
}
