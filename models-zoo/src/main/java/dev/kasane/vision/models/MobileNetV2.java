package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Conv2dNormActivation;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Intermediates;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU6;
import dev.kasane.nn.Sequential;

/**
 * MobileNetV2 (Sandler et al. 2018) as torchvision 0.14 builds it, with its state-dict keys: {@code features.0} (a
 * 3x3 stride-2 {@link Conv2dNormActivation} with ReLU6), {@code features.1 .. 17} (17 {@link InvertedResidual}
 * blocks in seven stages), {@code features.18} (a 1x1 Conv2dNormActivation to the last channels), global average
 * pooling and {@code classifier} (dropout, {@code classifier.1} Linear). The width multiplier scales every channel
 * count, rounded to a multiple of 8 as torchvision's {@code _make_divisible}; the last layer keeps at least 1280
 * channels. Initialised as torchvision: convolutions Kaiming-normal (fan-out), Linear N(0, 0.01^2), biases zero.
 *
 * <p>The network divides the size by 32; any input of at least 1x1 pixel works, 224x224 is the ImageNet size.
 *
 * <pre>{@code
 * var model = new MobileNetV2(1000);                    // torchvision's mobilenet_v2()
 * var small = new MobileNetV2(10, 0.5, 0.2);            // width multiplier 0.5
 * model.replaceHead(10);                                // transfer learning: classifier.1 becomes Linear(1280, 10)
 * }</pre>
 */
public final class MobileNetV2 extends PooledClassifier {
    /** Per stage: expansion t, output channels c, blocks n, stride s of the first block (the paper's Table 2). */
    private static final int[][] STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private final double widthMult;

    /** torchvision's {@code mobilenet_v2}: width multiplier 1, dropout 0.2. */
    public MobileNetV2(int numClasses) {
        this(numClasses, 1.0, 0.2);
    }

    /**
     * A MobileNetV2.
     *
     * @param numClasses outputs of the classifier
     * @param widthMult the width multiplier (torchvision's weights: 1.0)
     * @param dropout the probability of the classifier's dropout
     * @throws IllegalArgumentException if {@code numClasses < 1}, {@code widthMult <= 0} or dropout is outside
     *     [0, 1]
     */
    public MobileNetV2(int numClasses, double widthMult, double dropout) {
        super(numClasses);
        if (!(widthMult > 0) || Double.isInfinite(widthMult)) {
            throw new IllegalArgumentException("MobileNetV2: widthMult must be positive, got " + widthMult);
        }
        this.widthMult = widthMult;
        int cin = Torchvision.makeDivisible(32 * widthMult, 8);
        int last = Torchvision.makeDivisible(1280 * Math.max(1.0, widthMult), 8);
        Sequential f = new Sequential(new Conv2dNormActivation(3, cin, 3, 2, 1, new ReLU6()));
        for (int[] stage : STAGES) {
            int cout = Torchvision.makeDivisible(stage[1] * widthMult, 8);
            for (int i = 0; i < stage[2]; i++) {
                f.add(new InvertedResidual(cin, cout, i == 0 ? stage[3] : 1, stage[0]));
                cin = cout;
            }
        }
        f.add(new Conv2dNormActivation(cin, last, 1, 1, 1, new ReLU6()));
        registerLayers(f, null, new Sequential(new Dropout(dropout), new Linear(last, numClasses)));
        Torchvision.kaimingConvs(this);
        Torchvision.normalLinears(this, 0.01);
    }

    /** The width multiplier. */
    public double widthMult() {
        return widthMult;
    }

    /**
     * An inverted residual block ({@code conv}): a 1x1 expansion to {@code round(cin * t)} channels (absent when
     * {@code t = 1}), a 3x3 depthwise convolution carrying the stride, both Conv2dNormActivation with ReLU6, then a
     * linear 1x1 projection and batch norm; the input is added when the stride is 1 and the channels match.
     */
    public static final class InvertedResidual extends Module {
        private final boolean residual;
        private final Sequential conv;

        /**
         * @param cin input channels
         * @param cout output channels
         * @param stride 1 or 2
         * @param expandRatio the expansion t
         * @throws IllegalArgumentException if the stride is not 1 or 2
         */
        public InvertedResidual(int cin, int cout, int stride, int expandRatio) {
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException("InvertedResidual: stride must be 1 or 2, got " + stride);
            }
            int hidden = (int) Math.round((double) cin * expandRatio);
            residual = stride == 1 && cin == cout;
            Sequential layers = new Sequential();
            if (expandRatio != 1) {
                layers.add(new Conv2dNormActivation(cin, hidden, 1, 1, 1, new ReLU6()));
            }
            layers.add(new Conv2dNormActivation(hidden, hidden, 3, stride, hidden, new ReLU6()));
            layers.add(new Conv2d(hidden, cout, 1, 1, 0, false));
            layers.add(new BatchNorm2d(cout));
            conv = registerModule("conv", layers);
        }

        /** {@code x + conv(x)} when the shape is kept, else {@code conv(x)}. */
        @Override
        public Tensor forward(Tensor x) {
            Intermediates buffers = Intermediates.of(this);
            Tensor y = conv.forward(x);
            return residual ? buffers.then(y, x.add(y)) : y;
        }
    }
}
