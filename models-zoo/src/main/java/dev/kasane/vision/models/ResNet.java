package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Intermediates;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import java.util.ArrayList;
import java.util.List;

/**
 * Residual networks (He et al. 2016) in torchvision's layout, with its state-dict keys ({@code conv1, bn1,
 * layer1..layer4} of blocks {@code layerL.B.conv1, .bn1, ..., .downsample.0, .downsample.1}, {@code fc}), as
 * {@code reference_models.ResNet}: weights saved from torchvision or from the reference load by name.
 *
 * <p>The ImageNet stem is a 7x7 stride-2 convolution followed by a 3x3 stride-2 max-pool; the CIFAR stem
 * ({@code cifarStem = true}) is a 3x3 stride-1 convolution without max-pool, for 32x32 inputs. After the four stages,
 * global average pooling and a linear classifier.
 *
 * <pre>{@code
 * var model = ResNet.resnet18(10, true);               // CIFAR-10
 * Tensor logits = model.forward(images);                // [N, 3, 32, 32] -> [N, 10]
 * model.replaceHead(100);                               // transfer learning: fc becomes Linear(512, 100)
 * }</pre>
 */
public final class ResNet extends SingleHeadClassifier {
    private final boolean cifarStem;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential[] layers = new Sequential[4];

    /** The two residual block types. */
    public enum BlockType {
        /** Two 3x3 convolutions (ResNet-18, -34); expansion 1. */
        BASIC(1),
        /** 1x1 reduce, 3x3, 1x1 expand (ResNet-50 and deeper); expansion 4. */
        BOTTLENECK(4);

        private final int expansion;

        BlockType(int expansion) {
            this.expansion = expansion;
        }

        /** Ratio of a block's output channels to its width. */
        public int expansion() {
            return expansion;
        }
    }

    /**
     * A ResNet with the given blocks per stage.
     *
     * @param block the block type
     * @param blocksPerStage four positive counts, e.g. {2, 2, 2, 2} for ResNet-18
     * @param numClasses outputs of the classifier
     * @param cifarStem true for the 3x3 stride-1 stem without max-pool
     * @throws IllegalArgumentException if the counts are not four positive numbers or {@code numClasses < 1}
     */
    public ResNet(BlockType block, int[] blocksPerStage, int numClasses, boolean cifarStem) {
        super(numClasses, "fc");
        if (blocksPerStage.length != 4) {
            throw new IllegalArgumentException("ResNet: need 4 stage sizes, got " + java.util.Arrays.toString(blocksPerStage));
        }
        for (int n : blocksPerStage) {
            if (n < 1) {
                throw new IllegalArgumentException("ResNet: stage sizes must be >= 1, got "
                        + java.util.Arrays.toString(blocksPerStage));
            }
        }
        this.cifarStem = cifarStem;
        conv1 = registerModule("conv1", cifarStem ? new Conv2d(3, 64, 3, 1, 1, false) : new Conv2d(3, 64, 7, 2, 3, false));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        int cin = 64;
        int[] widths = {64, 128, 256, 512};
        for (int i = 0; i < 4; i++) {
            Sequential stage = new Sequential();
            for (int j = 0; j < blocksPerStage[i]; j++) {
                int stride = j == 0 && i > 0 ? 2 : 1;
                stage.add(block == BlockType.BASIC ? new BasicBlock(cin, widths[i], stride)
                        : new Bottleneck(cin, widths[i], stride));
                cin = widths[i] * block.expansion();
            }
            layers[i] = registerModule("layer" + (i + 1), stage);
        }
        registerHead(new Linear(512 * block.expansion(), numClasses));
    }

    /** ResNet-18: basic blocks {2, 2, 2, 2}. */
    public static ResNet resnet18(int numClasses, boolean cifarStem) {
        return new ResNet(BlockType.BASIC, new int[] {2, 2, 2, 2}, numClasses, cifarStem);
    }

    /** ResNet-34: basic blocks {3, 4, 6, 3}. */
    public static ResNet resnet34(int numClasses, boolean cifarStem) {
        return new ResNet(BlockType.BASIC, new int[] {3, 4, 6, 3}, numClasses, cifarStem);
    }

    /** ResNet-50: bottleneck blocks {3, 4, 6, 3}. */
    public static ResNet resnet50(int numClasses, boolean cifarStem) {
        return new ResNet(BlockType.BOTTLENECK, new int[] {3, 4, 6, 3}, numClasses, cifarStem);
    }

    /** Whether the CIFAR stem is used. */
    public boolean cifarStem() {
        return cifarStem;
    }

    /**
     * Class logits.
     *
     * @param x {@code [N, 3, H, W]}
     * @return {@code [N, numClasses]}
     */
    @Override
    public Tensor forward(Tensor x) {
        requireImages(x);
        Intermediates buffers = Intermediates.of(this);
        Tensor y = buffers.then(x, conv1.forward(x));
        y = buffers.thenNorm(y, bn1, true);
        if (!cifarStem) {
            y = buffers.then(y, F.maxPool2d(y, 3, 2, 1));
        }
        for (Sequential s : layers) {
            y = buffers.then(y, s.forward(y));
        }
        y = buffers.then(y, F.adaptiveAvgPool2d(y, 1).flatten(1, -1));
        return buffers.then(y, headLayer().forward(y));
    }

    /**
     * A block whose output is {@code relu(branch(x) + shortcut(x))}: the branch is conv-BN layers ({@code conv1},
     * {@code bn1}, {@code conv2}, ...) with a ReLU between them; the shortcut is the identity, or
     * {@code downsample = Sequential(conv 1x1 stride s, BatchNorm2d)} when the shape changes.
     */
    abstract static class ResidualBlock extends Module {
        private final List<Conv2d> convs = new ArrayList<>();
        private final List<BatchNorm2d> norms = new ArrayList<>();
        private Sequential downsample;

        /** Appends {@code conv} to the branch as {@code conv<i>}, followed by {@code bn<i>} over its output channels. */
        final void addConvBn(Conv2d conv) {
            int i = convs.size() + 1;
            convs.add(registerModule("conv" + i, conv));
            norms.add(registerModule("bn" + i, new BatchNorm2d(conv.outChannels())));
        }

        /** Registers {@code downsample} if the block changes the shape (after the branch's layers, PyTorch's key order). */
        final void registerShortcut(int cin, int cout, int stride) {
            if (stride != 1 || cin != cout) {
                downsample = registerModule("downsample",
                        new Sequential(new Conv2d(cin, cout, 1, stride, 0, false), new BatchNorm2d(cout)));
            }
        }

        /** The block's output for {@code x} {@code [N, cin, H, W]}. */
        @Override
        public final Tensor forward(Tensor x) {
            Intermediates buffers = Intermediates.of(this);
            Tensor y = x;
            int last = convs.size() - 1;
            for (int i = 0; i < last; i++) {
                y = buffers.then(y, convs.get(i).forward(y));
                y = buffers.thenNorm(y, norms.get(i), true);
            }
            y = buffers.then(y, convs.get(last).forward(y));
            Tensor shortcut = downsample == null ? x : downsample.forward(x);
            return buffers.thenNormAddRelu(y, norms.get(last), shortcut);
        }
    }

    /** Two 3x3 conv-BN layers with an identity (or 1x1 projection) shortcut: {@code relu(bn2(conv2(relu(bn1(conv1 x)))) + x)}. */
    public static final class BasicBlock extends ResidualBlock {
        /**
         * A basic block.
         *
         * @param cin input channels
         * @param cout output channels
         * @param stride stride of the first convolution and of the shortcut
         */
        public BasicBlock(int cin, int cout, int stride) {
            addConvBn(new Conv2d(cin, cout, 3, stride, 1, false));
            addConvBn(new Conv2d(cout, cout, 3, 1, 1, false));
            registerShortcut(cin, cout, stride);
        }
    }

    /** 1x1 reduce, 3x3 (carrying the stride), 1x1 expand to {@code 4 * width}, each with BN, plus a shortcut. */
    public static final class Bottleneck extends ResidualBlock {
        /**
         * A bottleneck block.
         *
         * @param cin input channels
         * @param width channels of the inner convolutions; the output has {@code 4 * width}
         * @param stride stride of the 3x3 convolution and of the shortcut
         */
        public Bottleneck(int cin, int width, int stride) {
            int cout = width * 4;
            addConvBn(new Conv2d(cin, width, 1, 1, 0, false));
            addConvBn(new Conv2d(width, width, 3, stride, 1, false));
            addConvBn(new Conv2d(width, cout, 1, 1, 0, false));
            registerShortcut(cin, cout, stride);
        }
    }
}
