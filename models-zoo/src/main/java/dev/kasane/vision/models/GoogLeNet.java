package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.AdaptiveAvgPool2d;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Init;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.PadMode;
import java.util.ArrayList;
import java.util.List;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015) as torchvision 0.14 builds it, with its state-dict keys: a stem
 * ({@code conv1} 7x7 stride 2, {@code conv2} 1x1, {@code conv3} 3x3, each a {@link BasicConv2d} of convolution,
 * batch norm (eps 0.001) and ReLU, with ceil-mode max-pools), nine {@link Inception} modules ({@code inception3a}
 * ... {@code inception5b}), global average pooling, dropout and {@code fc}; optionally two auxiliary classifiers
 * ({@code aux1} after {@code inception4a}, {@code aux2} after {@code inception4d}) used in training. Like
 * torchvision's, the "5x5" branch of each Inception module is a 3x3 convolution (pytorch/vision issue 906), so
 * torchvision's weights load. Initialised as torchvision: convolution and Linear weights N(0, 0.01^2) (torchvision
 * truncates at +-2, 200 standard deviations, which never binds), batch norms ones and zeros.
 *
 * <p>With {@code transformInput}, inputs normalised with the ImageNet mean and standard deviation are turned into
 * inputs normalised with mean and deviation 0.5, as the weights torchvision ships expect (they are loaded with
 * {@code transform_input=True}). Inputs of at least 15x15 pixels work; 224x224 is the ImageNet size.
 *
 * <pre>{@code
 * var model = new GoogLeNet(1000, true, true, 0.2, 0.7);   // torchvision's googlenet(weights=...) layout
 * GoogLeNet.Outputs out = model.forwardWithAux(images);    // training: logits and both auxiliary logits
 * model.replaceHead(10);                                   // transfer learning: fc, aux1.fc2 and aux2.fc2
 * }</pre>
 */
public final class GoogLeNet extends ImageClassifier {
    /** torchvision's transform_input: x * std / 0.5 + (mean - 0.5) / 0.5 per channel, ImageNet's mean and std. */
    private static final double[] INPUT_SCALE = {0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5};
    private static final double[] INPUT_SHIFT = {(0.485 - 0.5) / 0.5, (0.456 - 0.5) / 0.5, (0.406 - 0.5) / 0.5};

    private final boolean transformInput;
    private final BasicConv2d conv1;
    private final MaxPool2d maxpool1;
    private final BasicConv2d conv2;
    private final BasicConv2d conv3;
    private final MaxPool2d maxpool2;
    private final List<Inception> stage3;
    private final MaxPool2d maxpool3;
    private final Inception inception4a;
    private final List<Inception> stage4bToD;
    private final Inception inception4e;
    private final MaxPool2d maxpool4;
    private final List<Inception> stage5;
    private final InceptionAux aux1;
    private final InceptionAux aux2;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;
    private Linear fc;

    /**
     * The main and auxiliary logits of {@link #forwardWithAux}.
     *
     * @param logits {@code [N, numClasses]}
     * @param aux1 the logits of head {@code aux1} (after inception4a), or null outside training or without auxiliary
     *     heads (torchvision's {@code GoogLeNetOutputs} holds this one as {@code aux_logits2})
     * @param aux2 the logits of head {@code aux2} (after inception4d), or null likewise (torchvision:
     *     {@code aux_logits1})
     */
    public record Outputs(Tensor logits, Tensor aux1, Tensor aux2) {
    }

    /** torchvision's default: auxiliary heads, no input transform, dropout 0.2 (0.7 in the auxiliary heads). */
    public GoogLeNet(int numClasses) {
        this(numClasses, true, false, 0.2, 0.7);
    }

    /**
     * A GoogLeNet.
     *
     * @param numClasses outputs of the classifier (and of the auxiliary ones)
     * @param auxLogits whether to build the auxiliary classifiers {@code aux1} and {@code aux2}
     * @param transformInput whether to re-normalise ImageNet-normalised inputs as described above
     * @param dropout the probability of the dropout before {@code fc}
     * @param dropoutAux the probability of the auxiliary classifiers' dropout
     * @throws IllegalArgumentException if {@code numClasses < 1} or a probability is outside [0, 1]
     */
    public GoogLeNet(int numClasses, boolean auxLogits, boolean transformInput, double dropout, double dropoutAux) {
        super(numClasses);
        this.transformInput = transformInput;
        conv1 = registerModule("conv1", new BasicConv2d(3, 64, 7, 2, 3));
        maxpool1 = registerModule("maxpool1", ceilPool(3, 2, 0));
        conv2 = registerModule("conv2", new BasicConv2d(64, 64, 1, 1, 0));
        conv3 = registerModule("conv3", new BasicConv2d(64, 192, 3, 1, 1));
        maxpool2 = registerModule("maxpool2", ceilPool(3, 2, 0));
        stage3 = List.of(
                register("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32)),
                register("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64)));
        maxpool3 = registerModule("maxpool3", ceilPool(3, 2, 0));
        inception4a = register("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        stage4bToD = List.of(
                register("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64)),
                register("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64)),
                register("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64)));
        inception4e = register("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        maxpool4 = registerModule("maxpool4", ceilPool(2, 2, 0));
        stage5 = List.of(
                register("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128)),
                register("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128)));
        aux1 = auxLogits ? registerModule("aux1", new InceptionAux(512, numClasses, dropoutAux)) : null;
        aux2 = auxLogits ? registerModule("aux2", new InceptionAux(528, numClasses, dropoutAux)) : null;
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        fc = registerModule("fc", new Linear(1024, numClasses));
        for (Module m : modules()) {
            if (m instanceof Conv2d c) {
                Init.normal(c.weight(), 0, 0.01);
            } else if (m instanceof Linear l) {
                Init.normal(l.weight(), 0, 0.01);
            }
        }
    }

    private Inception register(String name, Inception module) {
        return registerModule(name, module);
    }

    private static MaxPool2d ceilPool(int kernel, int stride, int padding) {
        return new MaxPool2d(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, true);
    }

    /** Whether the auxiliary classifiers exist. */
    public boolean auxLogits() {
        return aux1 != null;
    }

    /** Whether inputs are re-normalised (torchvision's {@code transform_input}). */
    public boolean transformInput() {
        return transformInput;
    }

    /** {@code fc}, then {@code aux1.fc2} and {@code aux2.fc2} if the auxiliary classifiers exist. */
    @Override
    public List<Linear> head() {
        List<Linear> h = new ArrayList<>(List.of(fc));
        if (aux1 != null) {
            h.add(aux1.fc2);
            h.add(aux2.fc2);
        }
        return h;
    }

    @Override
    protected void setHead(int index, Linear layer) {
        if (index == 0) {
            fc = replaceModule("fc", layer);
        } else {
            (index == 1 ? aux1 : aux2).replaceFc2(layer);
        }
    }

    /**
     * Class logits (the auxiliary classifiers are not run).
     *
     * @param x {@code [N, 3, H, W]}, H and W at least 15
     * @return {@code [N, numClasses]}
     */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).logits();
    }

    /**
     * The logits and, in training mode with auxiliary classifiers, the auxiliary logits (torchvision's training
     * output; GoogLeNet's paper weights the auxiliary losses by 0.3).
     *
     * @param x {@code [N, 3, H, W]}, H and W at least 15
     */
    public Outputs forwardWithAux(Tensor x) {
        return run(x, isTraining() && aux1 != null);
    }

    private Outputs run(Tensor x, boolean withAux) {
        requireImages(x);
        if (transformInput) {
            x = x.mul(channelConstants(INPUT_SCALE, x)).add(channelConstants(INPUT_SHIFT, x));
        }
        x = maxpool2.forward(conv3.forward(conv2.forward(maxpool1.forward(conv1.forward(x)))));
        x = inception4a.forward(maxpool3.forward(chain(stage3, x)));
        Tensor a1 = withAux ? aux1.forward(x) : null;
        x = chain(stage4bToD, x);
        Tensor a2 = withAux ? aux2.forward(x) : null;
        x = chain(stage5, maxpool4.forward(inception4e.forward(x)));
        x = dropout.forward(avgpool.forward(x).flatten(1, -1));
        return new Outputs(fc.forward(x), a1, a2);
    }

    private static Tensor chain(List<Inception> modules, Tensor x) {
        for (Inception m : modules) {
            x = m.forward(x);
        }
        return x;
    }

    private static Tensor channelConstants(double[] values, Tensor like) {
        return Tensor.of(values, 1, 3, 1, 1).toType(like.dtype()).to(like.device());
    }

    /** torchvision's {@code BasicConv2d}: a bias-free convolution ({@code conv}), batch norm with eps 0.001 ({@code bn}), ReLU. */
    public static final class BasicConv2d extends Module {
        private final Conv2d conv;
        private final BatchNorm2d bn;

        /**
         * @param cin input channels
         * @param cout output channels
         * @param kernel square kernel size
         * @param stride stride
         * @param padding zero padding on each side
         */
        public BasicConv2d(int cin, int cout, int kernel, int stride, int padding) {
            this(cin, cout, new int[] {kernel, kernel}, stride, new int[] {padding, padding});
        }

        /**
         * A rectangular kernel (Inception v3's 1x7, 7x1, 1x3 and 3x1 factorisations).
         *
         * @param kernel {height, width}
         * @param stride stride in both dims
         * @param padding {height, width} zero padding on each side
         */
        public BasicConv2d(int cin, int cout, int[] kernel, int stride, int[] padding) {
            conv = registerModule("conv", new Conv2d(cin, cout, kernel, new int[] {stride, stride}, Padding.of(padding),
                    new int[] {1, 1}, 1, false, PadMode.CONSTANT));
            bn = registerModule("bn", new BatchNorm2d(cout, 0.001, 0.1, true, true));
        }

        /** {@code relu(bn(conv(x)))}. */
        @Override
        public Tensor forward(Tensor x) {
            return F.relu(bn.forward(conv.forward(x)));
        }
    }

    /**
     * An Inception module: four branches concatenated along the channels: {@code branch1} 1x1; {@code branch2} 1x1
     * then 3x3; {@code branch3} 1x1 then 3x3 (torchvision's, in place of the paper's 5x5); {@code branch4} 3x3
     * stride-1 max-pool then 1x1. Each convolution is a {@link BasicConv2d}.
     */
    public static final class Inception extends Module {
        private final BasicConv2d branch1;
        private final Sequential branch2;
        private final Sequential branch3;
        private final Sequential branch4;

        /**
         * @param cin input channels
         * @param ch1x1 outputs of branch 1
         * @param ch3x3red, ch3x3 inner and output channels of branch 2
         * @param ch5x5red, ch5x5 inner and output channels of branch 3
         * @param poolProj outputs of branch 4
         */
        public Inception(int cin, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
            branch1 = registerModule("branch1", new BasicConv2d(cin, ch1x1, 1, 1, 0));
            branch2 = registerModule("branch2", new Sequential(new BasicConv2d(cin, ch3x3red, 1, 1, 0),
                    new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1)));
            branch3 = registerModule("branch3", new Sequential(new BasicConv2d(cin, ch5x5red, 1, 1, 0),
                    new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1)));
            branch4 = registerModule("branch4", new Sequential(ceilPool(3, 1, 1), new BasicConv2d(cin, poolProj, 1, 1, 0)));
        }

        /** The four branches' outputs, concatenated along dim 1. */
        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(branch1.forward(x), branch2.forward(x), branch3.forward(x), branch4.forward(x)), 1);
        }
    }

    /**
     * An auxiliary classifier: adaptive average pooling to 4x4, {@code conv} (a 1x1 {@link BasicConv2d} to 128
     * channels), {@code fc1} (2048 -> 1024) with ReLU, dropout, {@code fc2} (1024 -> classes).
     */
    public static final class InceptionAux extends Module {
        private final BasicConv2d conv;
        private final Linear fc1;
        private Linear fc2;
        private final Dropout dropout;

        /**
         * @param cin input channels
         * @param numClasses outputs
         * @param dropout the dropout probability
         */
        public InceptionAux(int cin, int numClasses, double dropout) {
            conv = registerModule("conv", new BasicConv2d(cin, 128, 1, 1, 0));
            fc1 = registerModule("fc1", new Linear(2048, 1024));
            fc2 = registerModule("fc2", new Linear(1024, numClasses));
            this.dropout = registerModule("dropout", new Dropout(dropout));
        }

        void replaceFc2(Linear layer) {
            fc2 = replaceModule("fc2", layer);
        }

        /** Auxiliary logits for the feature map {@code x}. */
        @Override
        public Tensor forward(Tensor x) {
            x = conv.forward(F.adaptiveAvgPool2d(x, 4, 4)).flatten(1, -1);
            return fc2.forward(dropout.forward(F.relu(fc1.forward(x))));
        }
    }
}
