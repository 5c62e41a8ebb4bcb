package dev.kasane.vision.models;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.PixelShuffle;

/**
 * ESPCN (Shi et al. 2016): three convolutions on the low-resolution image (5x5 with 64 filters, 3x3 with 32, 3x3
 * with {@code channels * scale^2}), tanh after the first two, and a sub-pixel convolution: {@link PixelShuffle}
 * rearranges the last layer's {@code scale^2} channel groups into a {@code scale}-times larger image. All the
 * computation runs at low resolution. State-dict keys {@code conv1}, {@code conv2}, {@code conv3}.
 *
 * <pre>{@code
 * var model = new ESPCN(3, 1);
 * Tensor sr = model.forward(lowRes);           // [N, 1, H, W] -> [N, 1, 3H, 3W]
 * }</pre>
 */
public final class ESPCN extends Module {
    private final int channels;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final PixelShuffle shuffle;

    /**
     * An ESPCN.
     *
     * @param scale the upscaling factor (>= 1)
     * @param channels image channels in and out (1 for luma, 3 for RGB)
     * @throws IllegalArgumentException if a count is not positive
     */
    public ESPCN(int scale, int channels) {
        if (scale < 1 || channels < 1) {
            throw new IllegalArgumentException("ESPCN: scale and channels must be >= 1, got scale " + scale + ", channels "
                    + channels);
        }
        this.channels = channels;
        conv1 = registerModule("conv1", new Conv2d(channels, 64, 5, 1, 2));
        conv2 = registerModule("conv2", new Conv2d(64, 32, 3, 1, 1));
        conv3 = registerModule("conv3", new Conv2d(32, channels * scale * scale, 3, 1, 1));
        shuffle = registerModule("pixel_shuffle", new PixelShuffle(scale));
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
        return shuffle.forward(conv3.forward(conv2.forward(conv1.forward(x).tanh()).tanh()));
    }
}
