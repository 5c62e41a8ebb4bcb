package dev.kasane.vision.models;

import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;

/**
 * AlexNet (Krizhevsky et al. 2012) as torchvision 0.14 builds it (the one-GPU variant of "One weird trick", without
 * local response normalization), with its state-dict keys: {@code features.0, .3, .6, .8, .10} (five convolutions
 * with ReLU and three 3x3 stride-2 max-pools), then adaptive average pooling to 6x6 ({@code avgpool}) and
 * {@code classifier.1, .4, .6} (dropout, Linear 9216 -> 4096, ReLU, dropout, Linear 4096 -> 4096, ReLU, Linear to
 * the classes). torchvision's weights, saved as safetensors, load with {@code loadStateDict(state, true)}; layers
 * keep PyTorch's default initialisation, as torchvision's.
 *
 * <p>Inputs of at least 63x63 pixels work; 224x224 is the ImageNet size.
 *
 * <pre>{@code
 * var model = new AlexNet(1000);
 * Tensor logits = model.forward(images);                // [N, 3, 224, 224] -> [N, 1000]
 * model.replaceHead(10);                                // transfer learning: classifier.6 becomes Linear(4096, 10)
 * }</pre>
 */
public final class AlexNet extends PooledClassifier {
    /** The width of the two hidden classifier layers, torchvision's and the paper's. */
    public static final int CLASSIFIER_WIDTH = 4096;

    /** torchvision's AlexNet: dropout 0.5, hidden classifier layers of {@link #CLASSIFIER_WIDTH}. */
    public AlexNet(int numClasses) {
        this(numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /**
     * An AlexNet with the given dropout and classifier width (a width other than 4096 changes the shapes of
     * {@code classifier.1/4/6}, so torchvision's weights then load only into the features).
     *
     * @param numClasses outputs of the classifier
     * @param dropout the probability of both dropout layers, in [0, 1]
     * @param classifierWidth outputs of the two hidden Linear layers
     * @throws IllegalArgumentException if {@code numClasses < 1}, {@code classifierWidth < 1} or dropout is outside
     *     [0, 1]
     */
    public AlexNet(int numClasses, double dropout, int classifierWidth) {
        super(numClasses);
        if (classifierWidth < 1) {
            throw new IllegalArgumentException("AlexNet: classifierWidth must be >= 1, got " + classifierWidth);
        }
        Sequential features = new Sequential(
                new Conv2d(3, 64, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2, 0));
        Sequential classifier = new Sequential(
                new Dropout(dropout), new Linear(256 * 6 * 6, classifierWidth), new ReLU(),
                new Dropout(dropout), new Linear(classifierWidth, classifierWidth), new ReLU(),
                new Linear(classifierWidth, numClasses));
        registerLayers(features, new AdaptiveAvgPool2d(6), classifier);
    }
}
