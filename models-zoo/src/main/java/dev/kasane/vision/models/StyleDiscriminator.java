package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.EqualConv2d;
import dev.kasane.nn.EqualLinear;
import dev.kasane.nn.MinibatchStdDev;
import dev.kasane.nn.Module;
import dev.kasane.nn.ModuleList;
import dev.kasane.nn.functional.F;
import java.util.Arrays;

/**
 * A StyleGAN2-style residual discriminator (its PyTorch definition in {@code gen_stylegan_fixtures.py}): fromRGB (a
 * 1x1 {@link EqualConv2d} and leaky ReLU(0.2) times sqrt(2)), one residual block per resolution down to 4x4 (two
 * 3x3 equalized convolutions then 2x2 average pooling, plus a 1x1 skip of the pooled input, the sum divided by
 * sqrt(2)), {@link MinibatchStdDev} (one statistic), a 3x3 convolution, and two {@link EqualLinear} layers to one
 * logit per image, [N, 1]. Without StyleGAN2's blur filters.
 *
 * <pre>{@code
 * StyleDiscriminator d = new StyleDiscriminator(1, 4, 128, 128, 64, 32);  // 32x32 images, mbstd groups of 4
 * Tensor logits = d.forward(images);                                     // [N, 1]
 * }</pre>
 */
public class StyleDiscriminator extends Module {
    private final int resolution;
    private final int imageChannels;
    private final EqualConv2d fromRgb;
    private final ModuleList blocks = new ModuleList();
    private final MinibatchStdDev mbstd;
    private final EqualConv2d finalConv;
    private final EqualLinear finalLinear;
    private final EqualLinear out;

    /**
     * @param imageChannels input channels
     * @param mbstdGroup the minibatch-stddev group size (4 in StyleGAN2; the batch must be a multiple of
     *     {@code min(group, N)})
     * @param channels the widths at 4x4, 8x8, ... (as {@link StyleGenerator}'s); images are 4 * 2^(length - 1) square
     */
    public StyleDiscriminator(int imageChannels, int mbstdGroup, int... channels) {
        if (channels.length == 0 || Arrays.stream(channels).anyMatch(c -> c < 1) || imageChannels < 1) {
            throw new IllegalArgumentException("StyleDiscriminator: expected positive widths from 4x4 up and image channels, got "
                    + Arrays.toString(channels) + " and " + imageChannels);
        }
        this.imageChannels = imageChannels;
        this.resolution = 4 << (channels.length - 1);
        int last = channels.length - 1;
        fromRgb = registerModule("from_rgb", new EqualConv2d(imageChannels, channels[last], 1, 1, 0, true));
        for (int j = last; j > 0; j--) {
            blocks.add(new Block(channels[j], channels[j - 1]));
        }
        registerModule("blocks", blocks);
        mbstd = registerModule("mbstd", new MinibatchStdDev(mbstdGroup, 1));
        finalConv = registerModule("final_conv", new EqualConv2d(channels[0] + 1, channels[0], 3, 1, 1, true));
        finalLinear = registerModule("final_linear", new EqualLinear(channels[0] * 16, channels[0]));
        out = registerModule("out", new EqualLinear(channels[0], 1));
    }

    /** Logits [N, 1] for images [N, imageChannels, resolution, resolution]. */
    @Override
    public Tensor forward(Tensor images) {
        String layout = "(N, " + imageChannels + ", " + resolution + ", " + resolution + ")";
        requireRank(images, layout, 4);
        requireSize(images, 1, imageChannels, "channels", layout);
        requireSize(images, 2, resolution, "height", layout);
        requireSize(images, 3, resolution, "width", layout);
        Tensor x = StyleGenerator.biasLeakyRelu(fromRgb.forward(images), null);
        for (Module b : blocks) {
            x = b.forward(x);
        }
        x = StyleGenerator.biasLeakyRelu(finalConv.forward(mbstd.forward(x)), null);
        x = StyleGenerator.biasLeakyRelu(finalLinear.forward(x.flatten(1, -1)), null);
        return out.forward(x);
    }

    /** Two 3x3 convolutions and 2x2 average pooling, plus a pooled 1x1 skip; the sum over sqrt(2). */
    private static final class Block extends Module {
        private final EqualConv2d conv1;
        private final EqualConv2d conv2;
        private final EqualConv2d skip;

        Block(int in, int out) {
            conv1 = registerModule("conv1", new EqualConv2d(in, in, 3, 1, 1, true));
            conv2 = registerModule("conv2", new EqualConv2d(in, out, 3, 1, 1, true));
            skip = registerModule("skip", new EqualConv2d(in, out, 1, 1, 0, false));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = F.avgPool2d(StyleGenerator.biasLeakyRelu(conv2.forward(StyleGenerator.biasLeakyRelu(conv1.forward(x), null)),
                    null), 2);
            return y.add(skip.forward(F.avgPool2d(x, 2))).div(Math.sqrt(2));
        }
    }
}
