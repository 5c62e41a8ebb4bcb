package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;

/**
 * SRCNN (Dong, Loy, He and Tang 2014), the 9-1-5 network: patch extraction (9x9, 64 filters), non-linear mapping
 * (1x1, 32 filters) and reconstruction (5x5), ReLU after the first two. It restores an image that was already
 * upscaled to the target size (by bicubic interpolation); the convolutions are zero-padded so that the output has
 * the input's size. State-dict keys {@code conv1}, {@code conv2}, {@code conv3}.
 *
 * <pre>{@code
 * var model = new SRCNN(1);                                         // on the luma channel, as the paper
 * Tensor up = F.interpolate(lowRes, new double[] {3}, InterpolationMode.BICUBIC, false);
 * Tensor restored = model.forward(up);                              // [N, 1, 3H, 3W]
 * }</pre>
 */
public final class SRCNN extends Module {
    private final int channels;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;

    /**
     * The 9-1-5 SRCNN with 64 and 32 filters.
     *
     * @param channels image channels in and out (1 for luma, 3 for RGB)
     * @throws IllegalArgumentException if {@code channels < 1}
     */
    public SRCNN(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("SRCNN: channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        conv1 = registerModule("conv1", new Conv2d(channels, 64, 9, 1, 4));
        conv2 = registerModule("conv2", new Conv2d(64, 32, 1, 1, 0));
        conv3 = registerModule("conv3", new Conv2d(32, channels, 5, 1, 2));
    }

    /**
     * The restored image.
     *
     * @param x the upscaled image {@code [N, channels, H, W]}
     * @return {@code [N, channels, H, W]}
     */
    @Override
    public Tensor forward(Tensor x) {
        requireRank(x, "(N, " + channels + ", H, W)", 4);
        return conv3.forward(conv2.forward(conv1.forward(x).relu()).relu());
    }
}
