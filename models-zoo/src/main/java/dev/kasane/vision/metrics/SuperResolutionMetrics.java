package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import java.util.Objects;

/**
 * The image-quality measures of the super-resolution literature (SRCNN, ESPCN, EDSR and their benchmarks): PSNR and
 * SSIM on the luma (Y) channel of ITU-R BT.601, with a border of {@code scale} pixels shaved off on each side
 * (the pixels that a network cannot reconstruct from a full neighbourhood).
 *
 * <p>Y is {@code (16 + 65.481 R + 128.553 G + 24.966 B) / 255} for R, G, B in [0, 1] (MATLAB's {@code rgb2ycbcr}
 * and scikit-image's {@code rgb2ycbcr}, divided by 255), so it lies in [16/255, 235/255]; PSNR and SSIM use a data
 * range of 1 (255 on the 0-255 scale). The images are taken as given: clamp or quantise them first to measure what
 * would be saved.
 *
 * <pre>{@code
 * double psnr = SuperResolutionMetrics.psnrY(upscaled, original, 3);   // both [3, H, W] in [0, 1]
 * double ssim = SuperResolutionMetrics.ssimY(upscaled, original, 3);
 * }</pre>
 */
public final class SuperResolutionMetrics {
    /** BT.601 luma offset (on the 0-255 scale). */
    public static final double Y_OFFSET = 16;
    /** BT.601 luma weights of R, G and B in [0, 1] (on the 0-255 scale). */
    private static final double[] Y_WEIGHTS = {65.481, 128.553, 24.966};

    private SuperResolutionMetrics() {
    }

    /**
     * The BT.601 luma of RGB images in [0, 1].
     *
     * @param rgb {@code [3, H, W]} or {@code [N, 3, H, W]}, floating point
     * @return {@code [1, H, W]} or {@code [N, 1, H, W]} in [16/255, 235/255], same dtype and device
     * @throws IllegalArgumentException for another shape or an integer dtype
     */
    public static Tensor luma(Tensor rgb) {
        Objects.requireNonNull(rgb, "rgb");
        int c = rgb.dim() - 3;
        if ((rgb.dim() != 3 && rgb.dim() != 4) || rgb.size(c) != 3 || !rgb.dtype().isFloating()) {
            throw new IllegalArgumentException("luma: expected floating-point RGB images [3, H, W] or [N, 3, H, W], got "
                    + rgb.describe());
        }
        Tensor y = rgb.narrow(c, 0, 1).mul(Y_WEIGHTS[0])
                .add(rgb.narrow(c, 1, 1).mul(Y_WEIGHTS[1]))
                .add(rgb.narrow(c, 2, 1).mul(Y_WEIGHTS[2]));
        return y.add(Y_OFFSET).div(255);
    }

    /**
     * The image without a border of {@code border} pixels on each side of its last two dims (a view).
     *
     * @throws IllegalArgumentException if the image has fewer than 2 dims or nothing would remain
     */
    public static Tensor shave(Tensor image, int border) {
        Objects.requireNonNull(image, "image");
        if (image.dim() < 2 || border < 0 || image.size(-2) <= 2 * border || image.size(-1) <= 2 * border) {
            throw new IllegalArgumentException("shave: cannot remove a border of " + border + " pixels from "
                    + image.describe());
        }
        int h = image.dim() - 2;
        return image.narrow(h, border, image.size(h) - 2 * border).narrow(h + 1, border, image.size(h + 1) - 2 * border);
    }

    /**
     * PSNR (dB) of the luma of {@code sr} against that of {@code hr}, a border of {@code border} pixels shaved.
     *
     * @param sr the reconstruction, RGB {@code [3, H, W]} or {@code [N, 3, H, W]} in [0, 1]
     * @param hr the original, same shape
     * @param border pixels removed on each side (the scale factor, by convention)
     * @throws IllegalArgumentException if the shapes differ or are not RGB images
     */
    public static double psnrY(Tensor sr, Tensor hr, int border) {
        return Metrics.psnr(shave(luma(sr), border), shave(luma(hr), border), 1.0);
    }

    /**
     * SSIM ({@link Metrics#ssim}: 11x11 Gaussian window, sigma 1.5) of the luma of {@code sr} against that of
     * {@code hr}, a border of {@code border} pixels shaved.
     *
     * @throws IllegalArgumentException if the shapes differ, are not RGB images, or leave less than 11x11 pixels
     */
    public static double ssimY(Tensor sr, Tensor hr, int border) {
        return Metrics.ssim(shave(luma(sr), border), shave(luma(hr), border), 1.0);
    }
}
