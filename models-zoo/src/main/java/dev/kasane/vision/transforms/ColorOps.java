package dev.kasane.vision.transforms;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.util.List;
import java.util.Objects;

/**
 * torchvision 0.14's colour operations on floating-point images in [0, 1] ({@code torchvision.transforms.functional}
 * on tensors): brightness, contrast, saturation, hue and the conversion to grayscale, with the same formulas and the
 * same order of arithmetic, so that results agree with torchvision to float rounding.
 *
 * <p>Every operation takes a {@code [..., C, H, W]} floating-point tensor with C = 1 (grayscale) or C = 3 (RGB) and
 * keeps its shape, dtype and device. As in torchvision, saturation and hue leave a one-channel image unchanged (a
 * gray image has neither), while brightness and contrast apply to both.
 */
public final class ColorOps {
    /** BT.601 luma weights of red, green and blue, as torchvision's {@code rgb_to_grayscale} uses them. */
    private static final double[] LUMA = {0.2989, 0.587, 0.114};

    private ColorOps() {
    }

    /**
     * torchvision's {@code adjust_brightness}: {@code clamp(factor * x, 0, 1)}.
     *
     * @throws IllegalArgumentException if the factor is negative or the image is not a float [..., 1 or 3, H, W]
     */
    public static Tensor adjustBrightness(Tensor x, double factor) {
        requireColourImage("adjustBrightness", x);
        requireNonNegative("adjustBrightness", "brightness factor", factor);
        return blend(x, x.zerosLike(), factor);
    }

    /**
     * torchvision's {@code adjust_contrast}: blends the image with the mean of its grayscale version (one mean per
     * image, over channels, height and width), {@code clamp(factor * x + (1 - factor) * mean, 0, 1)}.
     *
     * @throws IllegalArgumentException if the factor is negative or the image is not a float [..., 1 or 3, H, W]
     */
    public static Tensor adjustContrast(Tensor x, double factor) {
        int c = requireColourImage("adjustContrast", x);
        requireNonNegative("adjustContrast", "contrast factor", factor);
        Tensor gray = c == 3 ? rgbToGrayscale(x, 1) : x;
        return blend(x, gray.mean(new int[] {-3, -2, -1}, true), factor);
    }

    /**
     * torchvision's {@code adjust_saturation}: blends an RGB image with its grayscale version,
     * {@code clamp(factor * x + (1 - factor) * gray, 0, 1)}; a one-channel image is returned unchanged.
     *
     * @throws IllegalArgumentException if the factor is negative or the image is not a float [..., 1 or 3, H, W]
     */
    public static Tensor adjustSaturation(Tensor x, double factor) {
        int c = requireColourImage("adjustSaturation", x);
        requireNonNegative("adjustSaturation", "saturation factor", factor);
        return c == 1 ? x : blend(x, rgbToGrayscale(x, 1), factor);
    }

    /**
     * torchvision's {@code adjust_hue}: converts RGB to HSV (Pillow's formulas), shifts the hue by {@code factor}
     * turns modulo 1, and converts back; a one-channel image is returned unchanged.
     *
     * @param factor the shift, in [-0.5, 0.5]
     * @throws IllegalArgumentException if the factor is outside [-0.5, 0.5] or the image is not a float
     *     [..., 1 or 3, H, W]
     */
    public static Tensor adjustHue(Tensor x, double factor) {
        int c = requireColourImage("adjustHue", x);
        if (!(factor >= -0.5 && factor <= 0.5)) {
            throw new IllegalArgumentException("adjustHue: hue factor must be in [-0.5, 0.5], got " + factor);
        }
        if (c == 1) {
            return x;
        }
        Tensor[] hsv = rgbToHsv(x);
        return hsvToRgb(fractionalPart(hsv[0].add(factor)), hsv[1], hsv[2]);
    }

    /**
     * torchvision's {@code rgb_to_grayscale}: {@code 0.2989 r + 0.587 g + 0.114 b} for an RGB image (a one-channel
     * image is copied), repeated to {@code outputChannels} channels.
     *
     * @param outputChannels 1, or 3 for a gray image in RGB layout
     * @throws IllegalArgumentException if outputChannels is not 1 or 3 or the image is not a float [..., 1 or 3, H, W]
     */
    public static Tensor rgbToGrayscale(Tensor x, int outputChannels) {
        int c = requireColourImage("rgbToGrayscale", x);
        if (outputChannels != 1 && outputChannels != 3) {
            throw new IllegalArgumentException("rgbToGrayscale: outputChannels must be 1 or 3, got " + outputChannels);
        }
        Tensor gray = c == 1 ? x.clone()
                : channel(x, 0).mul(LUMA[0]).add(channel(x, 1).mul(LUMA[1])).add(channel(x, 2).mul(LUMA[2])).unsqueeze(-3);
        if (outputChannels == 1) {
            return gray;
        }
        int[] shape = x.shape();
        shape[shape.length - 3] = 3;
        return gray.expand(shape).contiguous();
    }

    private static Tensor blend(Tensor a, Tensor b, double ratio) {
        return a.mul(ratio).add(b.mul(1.0 - ratio)).clamp(0, 1);
    }

    private static Tensor channel(Tensor x, int c) {
        return x.select(-3, c);
    }

    /** {@code v - floor(v)}: Python's {@code v % 1.0}. */
    private static Tensor fractionalPart(Tensor v) {
        return v.sub(v.floor());
    }

    /** torchvision's {@code _rgb2hsv}: {h, s, v}, each [..., H, W]. */
    private static Tensor[] rgbToHsv(Tensor x) {
        Tensor r = channel(x, 0);
        Tensor g = channel(x, 1);
        Tensor b = channel(x, 2);
        Tensor maxc = x.amax(new int[] {-3}, false);
        Tensor minc = x.amin(new int[] {-3}, false);
        Tensor eqc = maxc.eq(minc);
        Tensor cr = maxc.sub(minc);
        Tensor ones = maxc.onesLike();
        Tensor zeros = maxc.zerosLike();
        Tensor s = cr.div(Tensor.where(eqc, ones, maxc));
        Tensor crDivisor = Tensor.where(eqc, ones, cr);
        Tensor rc = maxc.sub(r).div(crDivisor);
        Tensor gc = maxc.sub(g).div(crDivisor);
        Tensor bc = maxc.sub(b).div(crDivisor);
        Tensor isR = maxc.eq(r);
        Tensor isG = maxc.eq(g).logicalAnd(isR.logicalNot());
        Tensor isB = maxc.ne(g).logicalAnd(isR.logicalNot());
        Tensor hr = Tensor.where(isR, bc.sub(gc), zeros);
        Tensor hg = Tensor.where(isG, rc.sub(bc).add(2.0), zeros);
        Tensor hb = Tensor.where(isB, gc.sub(rc).add(4.0), zeros);
        Tensor h = fractionalPart(hr.add(hg).add(hb).div(6.0).add(1.0));
        return new Tensor[] {h, s, maxc};
    }

    /** torchvision's {@code _hsv2rgb}: the sector {@code floor(6 h) mod 6} picks each channel among v, p, q, t. */
    private static Tensor hsvToRgb(Tensor h, Tensor s, Tensor v) {
        Tensor h6 = h.mul(6.0);
        Tensor i = h6.floor();
        Tensor f = h6.sub(i);
        Tensor sector = i.sub(i.div(6.0).floor().mul(6.0)).toType(DType.I64).unsqueeze(0);
        Tensor p = v.mul(s.rsub(1.0)).clamp(0, 1);
        Tensor q = v.mul(s.mul(f).rsub(1.0)).clamp(0, 1);
        Tensor t = v.mul(s.mul(f.rsub(1.0)).rsub(1.0)).clamp(0, 1);
        Tensor red = pick(sector, v, q, p, p, t, v);
        Tensor green = pick(sector, t, v, v, q, p, p);
        Tensor blue = pick(sector, p, p, t, v, v, q);
        return Tensor.stack(List.of(red, green, blue), -3);
    }

    private static Tensor pick(Tensor sector, Tensor... bySector) {
        return Tensor.stack(List.of(bySector), 0).takeAlongDim(sector, 0).squeeze(0);
    }

    private static void requireNonNegative(String op, String what, double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException(op + ": " + what + " must be >= 0, got " + factor);
        }
    }

    /** Checks for a floating-point [..., C, H, W] image with C = 1 or 3 and returns C. */
    static int requireColourImage(String op, Tensor x) {
        Objects.requireNonNull(x, op + ": image");
        if (x.dim() < 3 || !x.dtype().isFloating() || (x.size(-3) != 1 && x.size(-3) != 3)) {
            throw new IllegalArgumentException(op + ": expected a floating-point image [..., C, H, W] with 1 or 3 "
                    + "channels, got " + x.describe());
        }
        return x.size(-3);
    }
}
