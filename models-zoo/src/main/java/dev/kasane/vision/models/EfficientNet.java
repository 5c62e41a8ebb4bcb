package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.Conv2dNormActivation;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Init;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.SiLU;
import dev.kasane.nn.Sigmoid;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.SqueezeExcitation;
import dev.kasane.nn.StochasticDepth;
import dev.kasane.nn.functional.StochasticDepthMode;

/**
 * EfficientNet B0-B3 (Tan and Le 2019) as torchvision 0.14 builds them, with their state-dict keys:
 * {@code features.0} (a 3x3 stride-2 {@link Conv2dNormActivation} with SiLU), {@code features.1 .. 7} (seven stages
 * of {@link MBConv} blocks), {@code features.8} (a 1x1 Conv2dNormActivation to four times the last stage's channels),
 * global average pooling ({@code avgpool}) and {@code classifier} (dropout, {@code classifier.1} Linear).
 *
 * <p>Compound scaling: the width coefficient multiplies every channel count (rounded to a multiple of 8 as
 * torchvision's {@code _make_divisible}), the depth coefficient every stage's number of blocks (rounded up).
 * torchvision's coefficients (width, depth, dropout): B0 (1.0, 1.0, 0.2), B1 (1.0, 1.1, 0.2), B2 (1.1, 1.2, 0.3),
 * B3 (1.2, 1.4, 0.3). Block {@code k} of {@code K} drops its residual branch with probability
 * {@code stochasticDepthProb * k / K} in training (torchvision's 0.2). Initialised as torchvision: convolutions
 * Kaiming-normal (fan-out), the Linear U(-1/sqrt(classes), 1/sqrt(classes)), biases zero.
 *
 * <p>The network divides the size by 32; any input of at least 1x1 pixel works. torchvision's weights expect
 * 224x224 (B0) to 300x300 (B3) inputs.
 *
 * <pre>{@code
 * var model = EfficientNet.efficientnetB0(1000);        // torchvision's efficientnet_b0()
 * model.replaceHead(10);                                // transfer learning: classifier.1 becomes Linear(1280, 10)
 * }</pre>
 */
public final class EfficientNet extends PooledClassifier {
    /** Per stage: expansion, kernel, stride, input channels, output channels, blocks (B0, before scaling). */
    private static final int[][] STAGES = {
        {1, 3, 1, 32, 16, 1}, {6, 3, 2, 16, 24, 2}, {6, 5, 2, 24, 40, 2}, {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};

    /**
     * An EfficientNet of the B family.
     *
     * @param widthMult the width coefficient
     * @param depthMult the depth coefficient
     * @param dropout the probability of the classifier's dropout
     * @param stochasticDepthProb the stochastic-depth probability that the last block's rate approaches
     * @param numClasses outputs of the classifier
     * @throws IllegalArgumentException if {@code numClasses < 1}, a coefficient is not positive or a probability is
     *     outside [0, 1]
     */
    public EfficientNet(double widthMult, double depthMult, double dropout, double stochasticDepthProb, int numClasses) {
        super(numClasses);
        if (!(widthMult > 0) || !(depthMult > 0) || Double.isInfinite(widthMult) || Double.isInfinite(depthMult)) {
            throw new IllegalArgumentException("EfficientNet: width and depth coefficients must be positive, got "
                    + widthMult + " and " + depthMult);
        }
        if (!(stochasticDepthProb >= 0 && stochasticDepthProb <= 1)) {
            throw new IllegalArgumentException("EfficientNet: stochasticDepthProb must be in [0, 1], got " + stochasticDepthProb);
        }
        int total = 0;
        for (int[] s : STAGES) {
            total += blocks(s[5], depthMult);
        }
        Sequential f = new Sequential(new Conv2dNormActivation(3, channels(STAGES[0][3], widthMult), 3, 2, 1, new SiLU()));
        int block = 0;
        for (int[] s : STAGES) {
            Sequential stage = new Sequential();
            int cin = channels(s[3], widthMult);
            int cout = channels(s[4], widthMult);
            for (int i = 0; i < blocks(s[5], depthMult); i++) {
                stage.add(new MBConv(i == 0 ? cin : cout, cout, s[1], i == 0 ? s[2] : 1, s[0],
                        stochasticDepthProb * block / total));
                block++;
            }
            f.add(stage);
        }
        int lastIn = channels(STAGES[STAGES.length - 1][4], widthMult);
        f.add(new Conv2dNormActivation(lastIn, 4 * lastIn, 1, 1, 1, new SiLU()));
        Linear fc = new Linear(4 * lastIn, numClasses);
        registerLayers(f, new AdaptiveAvgPool2d(1), new Sequential(new Dropout(dropout), fc));
        Torchvision.kaimingConvs(this);
        double range = 1 / Math.sqrt(numClasses);
        Init.uniform(fc.weight(), -range, range);
        Init.zeros(fc.bias());
    }

    private static int channels(int c, double widthMult) {
        return Torchvision.makeDivisible(c * widthMult, 8);
    }

    private static int blocks(int n, double depthMult) {
        return (int) Math.ceil(n * depthMult);
    }

    /** torchvision's {@code efficientnet_b0}: width 1.0, depth 1.0, dropout 0.2, stochastic depth 0.2. */
    public static EfficientNet efficientnetB0(int numClasses) {
        return new EfficientNet(1.0, 1.0, 0.2, 0.2, numClasses);
    }

    /** torchvision's {@code efficientnet_b1}: width 1.0, depth 1.1, dropout 0.2, stochastic depth 0.2. */
    public static EfficientNet efficientnetB1(int numClasses) {
        return new EfficientNet(1.0, 1.1, 0.2, 0.2, numClasses);
    }

    /** torchvision's {@code efficientnet_b2}: width 1.1, depth 1.2, dropout 0.3, stochastic depth 0.2. */
    public static EfficientNet efficientnetB2(int numClasses) {
        return new EfficientNet(1.1, 1.2, 0.3, 0.2, numClasses);
    }

    /** torchvision's {@code efficientnet_b3}: width 1.2, depth 1.4, dropout 0.3, stochastic depth 0.2. */
    public static EfficientNet efficientnetB3(int numClasses) {
        return new EfficientNet(1.2, 1.4, 0.3, 0.2, numClasses);
    }

    /**
     * The mobile inverted bottleneck with squeeze-and-excitation ({@code block}): a 1x1 expansion (absent when the
     * expansion is 1), a depthwise k x k convolution carrying the stride (both Conv2dNormActivation with SiLU),
     * {@link SqueezeExcitation} to {@code max(1, cin / 4)} channels with SiLU, and a linear 1x1 projection with batch
     * norm. When the stride is 1 and the channels match, {@code stochastic_depth} of the branch is added to the input.
     */
    public static final class MBConv extends Module {
        private final boolean residual;
        private final Sequential block;
        private final StochasticDepth stochasticDepth;

        /**
         * @param cin input channels
         * @param cout output channels
         * @param kernel the depthwise kernel size
         * @param stride 1 or 2
         * @param expandRatio the expansion of the channels
         * @param stochasticDepthProb the probability of dropping the residual branch in training
         * @throws IllegalArgumentException if the stride is not 1 or 2
         */
        public MBConv(int cin, int cout, int kernel, int stride, int expandRatio, double stochasticDepthProb) {
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException("MBConv: stride must be 1 or 2, got " + stride);
            }
            residual = stride == 1 && cin == cout;
            int expanded = Torchvision.makeDivisible((double) cin * expandRatio, 8);
            Sequential layers = new Sequential();
            if (expanded != cin) {
                layers.add(new Conv2dNormActivation(cin, expanded, 1, 1, 1, new SiLU()));
            }
            layers.add(new Conv2dNormActivation(expanded, expanded, kernel, stride, expanded, new SiLU()));
            layers.add(new SqueezeExcitation(expanded, Math.max(1, cin / 4), new SiLU(), new Sigmoid()));
            layers.add(new Conv2dNormActivation(expanded, cout, 1, 1, 1, null));
            block = registerModule("block", layers);
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(stochasticDepthProb, StochasticDepthMode.ROW));
        }

        /** The probability of dropping the residual branch in training. */
        public double stochasticDepthProb() {
            return stochasticDepth.p();
        }

        /** {@code x + stochasticDepth(block(x))} when the shape is kept, else {@code block(x)}. */
        @Override
        public Tensor forward(Tensor x) {
            Tensor y = block.forward(x);
            return residual ? stochasticDepth.forward(y).add(x) : y;
        }
    }
}
