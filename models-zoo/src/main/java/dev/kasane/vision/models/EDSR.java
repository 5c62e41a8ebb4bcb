package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.PixelShuffle;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;

/**
 * EDSR (Lim, Son, Kim, Nah and Lee 2017): a residual super-resolution network without batch normalisation. A 3x3
 * convolution {@code head}, a {@code body} of {@code blocks} residual blocks (conv-ReLU-conv, the branch scaled by
 * {@code resScale} before it is added) followed by a 3x3 convolution, a long skip connection from the head's output
 * around the body, and a {@code tail}: the upsampler (for scale 2^k, k times a 3x3 convolution to 4x the features
 * and {@link PixelShuffle}(2); for 3, one convolution to 9x the features and PixelShuffle(3)) and a last 3x3
 * convolution to the image channels. State-dict keys as the authors' code (without its mean-shift layers):
 * {@code head.0}, {@code body.<i>.body.0}, {@code body.<i>.body.2}, {@code body.<blocks>}, {@code tail.0.<j>},
 * {@code tail.1}.
 *
 * <pre>{@code
 * var model = EDSR.baseline(2, 3);                    // 64 features, 16 blocks, residual scaling 1
 * var small = new EDSR(3, 1, 32, 8, 1.0);             // a small one for CPUs
 * Tensor sr = small.forward(lowRes);                  // [N, 1, H, W] -> [N, 1, 3H, 3W]
 * }</pre>
 */
public final class EDSR extends Module {
    private final int channels;
    private final Sequential head;
    private final Sequential body;
    private final Sequential tail;

    /**
     * An EDSR.
     *
     * @param scale 2, 3 or 4 (or any power of 2)
     * @param channels image channels in and out (1 for luma, 3 for RGB)
     * @param features channels inside the network (64 in EDSR-baseline, 256 in EDSR)
     * @param blocks residual blocks (16 in EDSR-baseline, 32 in EDSR)
     * @param resScale the factor of each block's residual branch (1 in EDSR-baseline, 0.1 in EDSR)
     * @throws IllegalArgumentException if the scale is neither 3 nor a power of 2, or a count is not positive
     */
    public EDSR(int scale, int channels, int features, int blocks, double resScale) {
        if (scale < 2 || (scale != 3 && Integer.bitCount(scale) != 1)) {
            throw new IllegalArgumentException("EDSR: scale must be 3 or a power of 2 (2, 4, 8, ...), got " + scale);
        }
        if (channels < 1 || features < 1 || blocks < 1 || !(resScale > 0)) {
            throw new IllegalArgumentException("EDSR: channels, features and blocks must be >= 1 and resScale > 0, got "
                    + channels + ", " + features + ", " + blocks + ", " + resScale);
        }
        this.channels = channels;
        head = registerModule("head", new Sequential(conv(channels, features)));
        body = registerModule("body", new Sequential());
        for (int i = 0; i < blocks; i++) {
            body.add(new ResBlock(features, resScale));
        }
        body.add(conv(features, features));
        Sequential upsampler = new Sequential();
        int factor = scale == 3 ? 3 : 2;
        for (int s = scale; s > 1; s /= factor) {
            upsampler.add(conv(features, features * factor * factor));
            upsampler.add(new PixelShuffle(factor));
        }
        tail = registerModule("tail", new Sequential(upsampler, conv(features, channels)));
    }

    /** EDSR-baseline: 64 features, 16 residual blocks, residual scaling 1. */
    public static EDSR baseline(int scale, int channels) {
        return new EDSR(scale, channels, 64, 16, 1.0);
    }

    private static Conv2d conv(int in, int out) {
        return new Conv2d(in, out, 3, 1, 1);
    }

    /**
     * The upscaled image.
     *
     * @param x the low-resolution image {@code [N, channels, H, W]}
     * @return {@code [N, channels, H scale, W scale]}
     */
    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, "(N, " + channels + ", H, W)", 4);
        Tensor features = head.forward(x);
        return tail.forward(body.forward(features).add(features));
    }

    /** conv-ReLU-conv, its output scaled and added to the input (keys {@code body.0}, {@code body.2}). */
    static final class ResBlock extends Module {
        private final Sequential body;
        private final double resScale;

        ResBlock(int features, double resScale) {
            this.body = registerModule("body", new Sequential(conv(features, features), new ReLU(), conv(features, features)));
            this.resScale = resScale;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor r = body.forward(x);
            return (resScale == 1 ? r : r.mul(resScale)).add(x);
        }
    }
}
