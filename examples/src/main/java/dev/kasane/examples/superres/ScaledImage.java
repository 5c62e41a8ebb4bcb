package dev.kasane.examples.superres;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.vision.metrics.SuperResolutionMetrics;

/**
 * One image at one scale: the original cropped to a multiple of the scale, its low-resolution version and the
 * bicubic upscaling of that, as RGB {@code [3, H, W]} in [0, 1], plus their luma (what the models see).
 *
 * <p>The low-resolution image is the original shrunk {@code scale} times with antialiased bicubic interpolation
 * (PyTorch's {@code F.interpolate(mode="bicubic", antialias=True)}, close to MATLAB's {@code imresize} of the papers),
 * quantised to 8 bits as a saved image would be. The bicubic baseline enlarges it back with plain bicubic
 * interpolation, clamped and quantised.
 *
 * @param name the image's name
 * @param scale the upscaling factor
 * @param hr the original, {@code [3, s h, s w]}
 * @param lr the low-resolution image, {@code [3, h, w]}
 * @param bicubic the bicubic upscaling of {@code lr}, {@code [3, s h, s w]}
 */
record ScaledImage(String name, int scale, Tensor hr, Tensor lr, Tensor bicubic) {
    /** Crops {@code rgb} to a multiple of {@code scale} and makes its low-resolution and bicubic versions. */
    @SuppressWarnings("try") // the no-grad guard is only opened and closed
    static ScaledImage of(String name, Tensor rgb, int scale) {
        int h = rgb.size(1) / scale;
        int w = rgb.size(2) / scale;
        try (var g = Autograd.noGrad()) {
            Tensor hr = rgb.narrow(1, 0, h * scale).narrow(2, 0, w * scale).contiguous();
            Tensor lr = quantize(F.interpolate(hr.unsqueeze(0), new int[] {h, w}, InterpolationMode.BICUBIC, false, true));
            return new ScaledImage(name, scale, hr, lr.squeeze(0), upscaleBicubic(lr, scale).squeeze(0));
        }
    }

    /** Bicubic enlargement of {@code [N, C, h, w]} by {@code scale}, clamped and quantised to 8 bits. */
    static Tensor upscaleBicubic(Tensor lr, int scale) {
        return quantize(F.interpolate(lr, new int[] {lr.size(2) * scale, lr.size(3) * scale}, InterpolationMode.BICUBIC,
                false));
    }

    /** Clamped to [0, 1] and rounded to multiples of 1/255. */
    static Tensor quantize(Tensor x) {
        return x.clamp(0, 1).mul(255).round().div(255);
    }

    /** The luma of the original, {@code [1, s h, s w]}. */
    Tensor hrY() {
        return SuperResolutionMetrics.luma(hr);
    }

    /** The luma of the low-resolution image, {@code [1, h, w]}. */
    Tensor lrY() {
        return SuperResolutionMetrics.luma(lr);
    }

    /** The luma of the bicubic upscaling, {@code [1, s h, s w]}. */
    Tensor bicubicY() {
        return SuperResolutionMetrics.luma(bicubic);
    }

    /**
     * The colour image whose luma is {@code y} and whose chroma is the bicubic upscaling's: BT.601's inverse adds
     * {@code 255/219 (y - Y(bicubic))} to each of R, G and B. Clamped and quantised as a saved image.
     *
     * @param y {@code [1, s h, s w]}
     */
    Tensor withLuma(Tensor y) {
        return quantize(bicubic.add(y.sub(bicubicY()).mul(255.0 / 219.0)));
    }
}
