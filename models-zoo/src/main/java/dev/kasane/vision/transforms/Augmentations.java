package dev.kasane.vision.transforms;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Datasets;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The random augmentations of contrastive self-supervised learning (SimCLR, Chen et al. 2020) with torchvision 0.14's
 * semantics: {@code RandomResizedCrop}, {@code ColorJitter}, {@code RandomGrayscale}, {@code GaussianBlur} and
 * {@code RandomApply}, the fixed-parameter operations they draw for ({@link #resizedCrop}, the fixed
 * {@link #gaussianBlur(Tensor, int, int, double, double)}, the colour operations of {@link ColorOps}), the paper's
 * pipeline ({@link #simclr}) and the two independently augmented views of a batch ({@link #twoViews}).
 *
 * <p>The random transforms draw their parameters from the {@link Generator} they are given, with torchvision's
 * distributions (not its random stream). They take floating-point {@code [C, H, W]} images in [0, 1] (C = 1 or 3 for
 * the colour ones); every image of a batch gets its own draw in {@link #twoViews}.
 *
 * <pre>{@code
 * Generator gen = new Generator(7);
 * Transform augment = Augmentations.simclr(28, 0.2, 0.5, false, gen);
 * Tensor[] views = Augmentations.twoViews(images, augment);   // images [N, 1, 28, 28] -> two [N, 1, 28, 28]
 * }</pre>
 */
public final class Augmentations {
    private Augmentations() {
    }

    /**
     * torchvision's {@code resized_crop}: the region (top, left, height x width) of {@code x}, resized to
     * {@code outHeight x outWidth} with bilinear interpolation without antialiasing (torchvision 0.14's default for
     * tensors; see {@link Transforms#resize(Tensor, int, int)}).
     *
     * @throws IllegalArgumentException if the region is not inside the image or an output size is not positive
     */
    public static Tensor resizedCrop(Tensor x, int top, int left, int height, int width, int outHeight, int outWidth) {
        return Transforms.resize(Transforms.crop(x, top, left, height, width), outHeight, outWidth);
    }

    /**
     * The crop box torchvision's {@code RandomResizedCrop.get_params} draws for an {@code imageHeight x imageWidth}
     * image: up to ten tries of an area fraction uniform in {@code [scaleMin, scaleMax]} and an aspect ratio
     * (width / height) log-uniform in {@code [ratioMin, ratioMax]}, {@code w = round(sqrt(area * ratio))},
     * {@code h = round(sqrt(area / ratio))}, kept if it fits, at a uniform position; otherwise the central crop of
     * the whole image with its aspect ratio clamped to the range.
     *
     * @return {top, left, height, width}
     * @throws IllegalArgumentException if a range is empty or not positive, or the image is empty
     */
    public static int[] resizedCropBox(int imageHeight, int imageWidth, double scaleMin, double scaleMax,
                                       double ratioMin, double ratioMax, Generator gen) {
        checkCropRanges(scaleMin, scaleMax, ratioMin, ratioMax);
        if (imageHeight < 1 || imageWidth < 1) {
            throw new IllegalArgumentException("randomResizedCrop: empty image " + imageHeight + "x" + imageWidth);
        }
        double area = (double) imageHeight * imageWidth;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * uniform(gen, scaleMin, scaleMax);
            double aspect = Math.exp(uniform(gen, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                int top = (int) gen.nextLong(imageHeight - h + 1);
                int left = (int) gen.nextLong(imageWidth - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) imageWidth / imageHeight;
        int w = imageWidth;
        int h = imageHeight;
        if (inRatio < ratioMin) {
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            w = (int) Math.rint(h * ratioMax);
        }
        return new int[] {(imageHeight - h) / 2, (imageWidth - w) / 2, h, w};
    }

    /**
     * torchvision's {@code RandomResizedCrop(size, scale, ratio)}: a box drawn by {@link #resizedCropBox}, cropped
     * and resized to {@code size x size} ({@link #resizedCrop}).
     *
     * @param scaleMin smallest area fraction (torchvision's default 0.08)
     * @param scaleMax largest area fraction (default 1)
     * @param ratioMin smallest aspect ratio (default 3/4)
     * @param ratioMax largest aspect ratio (default 4/3)
     * @throws IllegalArgumentException if the size is not positive or a range is empty or not positive
     */
    public static Transform randomResizedCrop(int size, double scaleMin, double scaleMax, double ratioMin,
                                              double ratioMax, Generator gen) {
        if (size < 1) {
            throw new IllegalArgumentException("randomResizedCrop: size must be positive, got " + size);
        }
        checkCropRanges(scaleMin, scaleMax, ratioMin, ratioMax);
        Objects.requireNonNull(gen, "randomResizedCrop: gen");
        return x -> {
            Transforms.requireImage("randomResizedCrop", x);
            int[] box = resizedCropBox(x.size(-2), x.size(-1), scaleMin, scaleMax, ratioMin, ratioMax, gen);
            return resizedCrop(x, box[0], box[1], box[2], box[3], size, size);
        };
    }

    /** {@link #randomResizedCrop(int, double, double, double, double, Generator)} with ratios 3/4 to 4/3. */
    public static Transform randomResizedCrop(int size, double scaleMin, double scaleMax, Generator gen) {
        return randomResizedCrop(size, scaleMin, scaleMax, 3.0 / 4.0, 4.0 / 3.0, gen);
    }

    private static void checkCropRanges(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("randomResizedCrop: scale and ratio must be ranges of positive values "
                    + "(min <= max), got scale [" + scaleMin + ", " + scaleMax + "], ratio [" + ratioMin + ", "
                    + ratioMax + "]");
        }
    }

    /**
     * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)}: factors drawn uniformly from
     * {@code [max(0, 1 - b), 1 + b]} (likewise contrast and saturation) and a hue shift from {@code [-hue, hue]}, the
     * four adjustments applied in a random order; a zero strength leaves its adjustment out. On a one-channel image
     * saturation and hue do nothing (as in torchvision), so only brightness and contrast change it.
     *
     * @throws IllegalArgumentException if a strength is negative or hue is above 0.5
     */
    public static Transform colorJitter(double brightness, double contrast, double saturation, double hue,
                                        Generator gen) {
        for (double v : new double[] {brightness, contrast, saturation, hue}) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("colorJitter: strengths must be >= 0, got brightness " + brightness
                        + ", contrast " + contrast + ", saturation " + saturation + ", hue " + hue);
            }
        }
        if (hue > 0.5) {
            throw new IllegalArgumentException("colorJitter: hue must be in [0, 0.5], got " + hue);
        }
        Objects.requireNonNull(gen, "colorJitter: gen");
        double[] strength = {brightness, contrast, saturation, hue};
        return x -> {
            ColorOps.requireColourImage("colorJitter", x);
            int[] order = Datasets.permutation(4, gen);
            double[] factor = new double[4];
            for (int k = 0; k < 3; k++) {
                factor[k] = uniform(gen, Math.max(0, 1 - strength[k]), 1 + strength[k]);
            }
            factor[3] = uniform(gen, -hue, hue);
            Tensor y = x;
            for (int k : order) {
                if (strength[k] == 0) {
                    continue;
                }
                y = switch (k) {
                    case 0 -> ColorOps.adjustBrightness(y, factor[0]);
                    case 1 -> ColorOps.adjustContrast(y, factor[1]);
                    case 2 -> ColorOps.adjustSaturation(y, factor[2]);
                    default -> ColorOps.adjustHue(y, factor[3]);
                };
            }
            return y;
        };
    }

    /**
     * torchvision's {@code RandomGrayscale(p)}: with probability {@code p} the image becomes gray with as many
     * channels as it had ({@link ColorOps#rgbToGrayscale}); a one-channel image stays as it is.
     *
     * @throws IllegalArgumentException if p is not in [0, 1]
     */
    public static Transform randomGrayscale(double p, Generator gen) {
        checkProbability("randomGrayscale", p);
        Objects.requireNonNull(gen, "randomGrayscale: gen");
        return x -> {
            int c = ColorOps.requireColourImage("randomGrayscale", x);
            return gen.nextDouble() < p ? ColorOps.rgbToGrayscale(x, c) : x;
        };
    }

    /**
     * torchvision's {@code RandomApply([t], p)}: applies {@code t} with probability {@code p}.
     *
     * @throws IllegalArgumentException if p is not in [0, 1]
     */
    public static Transform randomApply(Transform t, double p, Generator gen) {
        Objects.requireNonNull(t, "randomApply: transform");
        checkProbability("randomApply", p);
        Objects.requireNonNull(gen, "randomApply: gen");
        return x -> gen.nextDouble() < p ? t.apply(x) : x;
    }

    /**
     * torchvision's {@code GaussianBlur(kernelSize, (sigmaMin, sigmaMax))}: a standard deviation drawn uniformly
     * from {@code [sigmaMin, sigmaMax]}, then {@link #gaussianBlur(Tensor, int, int, double, double)} with a square
     * kernel.
     *
     * @throws IllegalArgumentException if the kernel size is not odd and positive or the sigma range is not positive
     */
    public static Transform gaussianBlur(int kernelSize, double sigmaMin, double sigmaMax, Generator gen) {
        checkKernel(kernelSize, kernelSize);
        if (!(sigmaMin > 0 && sigmaMin <= sigmaMax)) {
            throw new IllegalArgumentException("gaussianBlur: sigma must be a range of positive values (min <= max), got ["
                    + sigmaMin + ", " + sigmaMax + "]");
        }
        Objects.requireNonNull(gen, "gaussianBlur: gen");
        return x -> {
            double sigma = uniform(gen, sigmaMin, sigmaMax);
            return gaussianBlur(x, kernelSize, kernelSize, sigma, sigma);
        };
    }

    /**
     * torchvision's {@code gaussian_blur}: each channel convolved with the outer product of two normalised 1-D
     * Gaussians ({@code exp(-x^2 / (2 sigma^2))} at the integer offsets {@code -k/2 .. k/2}), the image padded by
     * reflection so the size is kept.
     *
     * @param kernelWidth odd kernel size along W (torchvision's {@code kernel_size[0]})
     * @param kernelHeight odd kernel size along H ({@code kernel_size[1]})
     * @param sigmaX standard deviation along W
     * @param sigmaY standard deviation along H
     * @throws IllegalArgumentException if a kernel size is not odd and positive, a sigma not positive, the image not
     *     a floating-point [..., C, H, W], or the padding not smaller than the image (reflection needs that)
     */
    public static Tensor gaussianBlur(Tensor x, int kernelWidth, int kernelHeight, double sigmaX, double sigmaY) {
        checkKernel(kernelWidth, kernelHeight);
        if (!(sigmaX > 0 && sigmaY > 0)) {
            throw new IllegalArgumentException("gaussianBlur: sigma must be positive, got " + sigmaX + ", " + sigmaY);
        }
        Transforms.requireImage("gaussianBlur", x);
        if (x.dim() < 3 || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("gaussianBlur: expected a floating-point image [..., C, H, W], got "
                    + x.describe());
        }
        int[] shape = x.shape();
        int c = x.size(-3);
        int h = x.size(-2);
        int w = x.size(-1);
        if (kernelWidth / 2 >= w || kernelHeight / 2 >= h) {
            throw new IllegalArgumentException("gaussianBlur: kernel " + kernelWidth + "x" + kernelHeight
                    + " needs an image larger than half of it for reflection padding, got " + x.describe());
        }
        float[] kx = kernel1d(kernelWidth, sigmaX);
        float[] ky = kernel1d(kernelHeight, sigmaY);
        float[] k2 = new float[kernelHeight * kernelWidth];
        for (int i = 0; i < kernelHeight; i++) {
            for (int j = 0; j < kernelWidth; j++) {
                k2[i * kernelWidth + j] = ky[i] * kx[j];
            }
        }
        Tensor weight = Tensor.of(k2, 1, 1, kernelHeight, kernelWidth).toType(x.dtype()).to(x.device())
                .expand(c, 1, kernelHeight, kernelWidth).contiguous();
        Tensor batch = x.reshape(-1, c, h, w);
        Tensor padded = batch.pad(new int[] {kernelWidth / 2, kernelWidth / 2, kernelHeight / 2, kernelHeight / 2},
                PadMode.REFLECT, 0);
        Tensor out = F.conv2d(padded, weight, null, new int[] {1}, Padding.of(0),
                new int[] {1}, c, PadMode.CONSTANT);
        return out.reshape(shape);
    }

    /** torchvision's {@code _get_gaussian_kernel1d}, computed in float as torchvision does. */
    private static float[] kernel1d(int size, double sigma) {
        float half = (size - 1) * 0.5f;
        float[] k = new float[size];
        float sum = 0;
        for (int i = 0; i < size; i++) {
            float v = (-half + i) / (float) sigma;
            k[i] = (float) Math.exp(-0.5f * v * v);
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static void checkKernel(int kernelWidth, int kernelHeight) {
        if (kernelWidth < 1 || kernelHeight < 1 || kernelWidth % 2 == 0 || kernelHeight % 2 == 0) {
            throw new IllegalArgumentException("gaussianBlur: kernel sizes must be odd and positive, got "
                    + kernelWidth + "x" + kernelHeight);
        }
    }

    /**
     * The augmentation pipeline of SimCLR (Chen et al. 2020, appendix A): random resized crop to {@code size} (area
     * fraction from {@code scaleMin} to 1, ratio 3/4 to 4/3), horizontal flip with probability 0.5, colour jitter of
     * strength {@code s} (brightness, contrast and saturation 0.8 s, hue 0.2 s) with probability 0.8, grayscale with
     * probability 0.2 and, if {@code blur}, a Gaussian blur with probability 0.5 (kernel about a tenth of the size,
     * odd; sigma from 0.1 to 2). The paper uses scaleMin 0.08, s 1 and blur on ImageNet, and no blur on CIFAR-10.
     *
     * @throws IllegalArgumentException if the size, scaleMin or s is out of range
     */
    public static Transform simclr(int size, double scaleMin, double s, boolean blur, Generator gen) {
        if (!(s >= 0 && s <= 2.5)) {
            throw new IllegalArgumentException("simclr: colour jitter strength s must be in [0, 2.5], got " + s);
        }
        List<Transform> steps = new ArrayList<>();
        steps.add(randomResizedCrop(size, scaleMin, 1.0, gen));
        steps.add(Transforms.randomHorizontalFlip(0.5, gen));
        steps.add(randomApply(colorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s, gen), 0.8, gen));
        steps.add(randomGrayscale(0.2, gen));
        if (blur) {
            int k = Math.max(3, (size / 10) | 1);
            steps.add(randomApply(gaussianBlur(k, 0.1, 2.0, gen), 0.5, gen));
        }
        return Transforms.compose(steps);
    }

    /**
     * Two views of every image of a batch {@code [N, ...]}: {@code t} applied twice to each image, each time with
     * its own random draws. View {@code k} of image {@code i} is row {@code i} of the {@code k}-th array.
     *
     * @throws IllegalArgumentException if the batch is 0-d or empty
     */
    public static Tensor[] twoViews(Tensor batch, Transform t) {
        Objects.requireNonNull(batch, "twoViews: batch");
        Objects.requireNonNull(t, "twoViews: transform");
        if (batch.dim() < 1 || batch.size(0) == 0) {
            throw new IllegalArgumentException("twoViews: expected a non-empty batch [N, ...], got " + batch.describe());
        }
        List<Tensor> first = new ArrayList<>();
        List<Tensor> second = new ArrayList<>();
        for (int i = 0; i < batch.size(0); i++) {
            Tensor image = batch.select(0, i);
            first.add(t.apply(image));
            second.add(t.apply(image));
        }
        return new Tensor[] {Tensor.stack(first, 0), Tensor.stack(second, 0)};
    }

    private static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
        }
    }

    private static double uniform(Generator gen, double lo, double hi) {
        return lo + (hi - lo) * gen.nextDouble();
    }
}
