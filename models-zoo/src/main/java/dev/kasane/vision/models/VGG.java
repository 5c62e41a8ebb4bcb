package dev.kasane.vision.models;

import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import java.util.Objects;

/**
 * VGG (Simonyan and Zisserman 2015) as torchvision 0.14 builds it, with and without batch norm, with its state-dict
 * keys: {@code features.i} (3x3 convolutions with padding 1, each followed by ReLU, or by BatchNorm2d and ReLU, in
 * five stages closed by a 2x2 max-pool; {@code i} counts every layer, pools and activations included), adaptive
 * average pooling to 7x7 ({@code avgpool}), then {@code classifier.0, .3, .6} (Linear 25088 -> 4096, ReLU, dropout,
 * Linear 4096 -> 4096, ReLU, dropout, Linear to the classes). Initialised as torchvision: convolutions
 * Kaiming-normal (fan-out), Linear weights N(0, 0.01^2), biases zero.
 *
 * <p>The five pools divide the size by 32: inputs of 32x32 pixels and more work (the pooling to 7x7 then repeats
 * values); 224x224 is the ImageNet size.
 *
 * <pre>{@code
 * var model = VGG.vgg16Bn(1000);                        // torchvision's vgg16_bn
 * Tensor logits = model.forward(images);                // [N, 3, 224, 224] -> [N, 1000]
 * model.replaceHead(10);                                // transfer learning: classifier.6 becomes Linear(4096, 10)
 * }</pre>
 */
public final class VGG extends PooledClassifier {
    /** The width of the two hidden classifier layers, torchvision's and the paper's. */
    public static final int CLASSIFIER_WIDTH = 4096;
    /** A max-pool in a configuration. */
    private static final int POOL = 0;

    /** The configurations of the paper (A, B, D, E) by number of weight layers. */
    public enum Depth {
        /** Configuration A: 8 convolutions. */
        VGG11(64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL),
        /** Configuration B: 10 convolutions. */
        VGG13(64, 64, POOL, 128, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL),
        /** Configuration D: 13 convolutions. */
        VGG16(64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512, POOL),
        /** Configuration E: 16 convolutions. */
        VGG19(64, 64, POOL, 128, 128, POOL, 256, 256, 256, 256, POOL, 512, 512, 512, 512, POOL, 512, 512, 512, 512, POOL);

        private final int[] layers;

        Depth(int... layers) {
            this.layers = layers;
        }
    }

    /**
     * A VGG.
     *
     * @param depth the configuration
     * @param batchNorm whether each convolution is followed by BatchNorm2d
     * @param numClasses outputs of the classifier
     * @param dropout the probability of both dropout layers, in [0, 1] (torchvision: 0.5)
     * @param classifierWidth outputs of the two hidden Linear layers ({@link #CLASSIFIER_WIDTH} in torchvision; another
     *     width changes the shapes of {@code classifier.0/3/6}, so torchvision's weights then load only into the
     *     features)
     * @throws IllegalArgumentException if {@code numClasses < 1}, {@code classifierWidth < 1} or dropout is outside
     *     [0, 1]
     */
    public VGG(Depth depth, boolean batchNorm, int numClasses, double dropout, int classifierWidth) {
        super(numClasses);
        Objects.requireNonNull(depth, "VGG: depth");
        if (classifierWidth < 1) {
            throw new IllegalArgumentException("VGG: classifierWidth must be >= 1, got " + classifierWidth);
        }
        Sequential f = new Sequential();
        int cin = 3;
        for (int v : depth.layers) {
            if (v == POOL) {
                f.add(new MaxPool2d(2));
                continue;
            }
            f.add(new Conv2d(cin, v, 3, 1, 1));
            if (batchNorm) {
                f.add(new BatchNorm2d(v));
            }
            f.add(new ReLU());
            cin = v;
        }
        registerLayers(f, new AdaptiveAvgPool2d(7), new Sequential(
                new Linear(512 * 7 * 7, classifierWidth), new ReLU(), new Dropout(dropout),
                new Linear(classifierWidth, classifierWidth), new ReLU(), new Dropout(dropout),
                new Linear(classifierWidth, numClasses)));
        Torchvision.kaimingConvs(this);
        Torchvision.normalLinears(this, 0.01);
    }

    /** torchvision's {@code vgg11}. */
    public static VGG vgg11(int numClasses) {
        return new VGG(Depth.VGG11, false, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg11_bn}. */
    public static VGG vgg11Bn(int numClasses) {
        return new VGG(Depth.VGG11, true, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg13}. */
    public static VGG vgg13(int numClasses) {
        return new VGG(Depth.VGG13, false, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg13_bn}. */
    public static VGG vgg13Bn(int numClasses) {
        return new VGG(Depth.VGG13, true, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg16}. */
    public static VGG vgg16(int numClasses) {
        return new VGG(Depth.VGG16, false, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg16_bn}. */
    public static VGG vgg16Bn(int numClasses) {
        return new VGG(Depth.VGG16, true, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg19}. */
    public static VGG vgg19(int numClasses) {
        return new VGG(Depth.VGG19, false, numClasses, 0.5, CLASSIFIER_WIDTH);
    }

    /** torchvision's {@code vgg19_bn}. */
    public static VGG vgg19Bn(int numClasses) {
        return new VGG(Depth.VGG19, true, numClasses, 0.5, CLASSIFIER_WIDTH);
    }
}
