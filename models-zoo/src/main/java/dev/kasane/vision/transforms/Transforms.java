package dev.kasane.vision.transforms;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Image transforms with torchvision's semantics, as {@link Transform}s over {@link Tensor}s.
 *
 * <p>Layouts: {@link #toTensor()} takes what an image decoder gives (U8 {@code [H, W]} or {@code [H, W, C]}) and
 * returns F32 {@code [C, H, W]} in [0, 1]; every other transform works on the last two dims of a {@code [..., H, W]}
 * tensor (so on {@code [C, H, W]} and on batches {@code [N, C, H, W]}) and keeps the dtype. The random transforms draw
 * from the {@link Generator} they are given (the global one when none is), so a seeded generator makes a pipeline
 * reproducible when it runs on one thread.
 *
 * <pre>{@code
 * Generator gen = new Generator(42);
 * Transform train = Transforms.compose(
 *         Transforms.toTensor(),
 *         Transforms.randomCrop(32, 4, gen),
 *         Transforms.randomHorizontalFlip(0.5, gen),
 *         Transforms.normalize(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616}));
 * }</pre>
 */
public final class Transforms {
    private Transforms() {
    }

    /**
     * The transforms applied one after the other (torchvision's {@code Compose}).
     *
     * @throws NullPointerException if a transform is null
     */
    public static Transform compose(Transform... transforms) {
        return compose(Arrays.asList(transforms));
    }

    /** The transforms of {@code transforms} applied in order. */
    public static Transform compose(List<Transform> transforms) {
        Transform[] ts = transforms.toArray(new Transform[0]);
        for (int i = 0; i < ts.length; i++) {
            Objects.requireNonNull(ts[i], "Transforms.compose: transform " + i + " is null");
        }
        return x -> {
            Tensor y = x;
            for (Transform t : ts) {
                y = t.apply(y);
            }
            return y;
        };
    }

    /**
     * torchvision's {@code ToTensor}: U8 {@code [H, W]} or {@code [H, W, C]} becomes F32 {@code [C, H, W]} (C = 1 for a
     * 2-D image) divided by 255. A floating-point {@code [H, W, C]} or {@code [H, W]} array is only transposed to
     * channels-first, as torchvision does with float arrays.
     */
    public static Transform toTensor() {
        return Transforms::toTensor;
    }

    /** {@link #toTensor()} applied to {@code image}. */
    public static Tensor toTensor(Tensor image) {
        Objects.requireNonNull(image, "toTensor: image");
        if (image.dim() != 2 && image.dim() != 3) {
            throw new IllegalArgumentException("toTensor: expected an image [H, W] or [H, W, C], got " + image.describe());
        }
        Tensor hwc = image.dim() == 2 ? image.unsqueeze(2) : image;
        Tensor chw = hwc.permute(2, 0, 1);
        if (image.dtype() == DType.U8) {
            int c = chw.size(0);
            int h = chw.size(1);
            int w = chw.size(2);
            int[] src = chw.contiguous().toIntArray();
            float[] dst = new float[src.length];
            for (int i = 0; i < dst.length; i++) {
                dst[i] = src[i] / 255f;
            }
            return Tensor.of(dst, c, h, w).to(image.device());
        }
        if (image.dtype().isFloating()) {
            return chw.contiguous();
        }
        throw new IllegalArgumentException("toTensor: expected a U8 or floating-point image, got " + image.describe());
    }

    /**
     * torchvision's {@code Normalize}: {@code (x - mean[c]) / std[c]} for each channel c of a floating-point
     * {@code [C, H, W]} or {@code [N, C, H, W]} array.
     *
     * @param mean one value per channel (or a single value for all)
     * @param std one positive value per channel (or a single value for all)
     * @throws IllegalArgumentException if the lengths differ or a std is not positive
     */
    public static Transform normalize(double[] mean, double[] std) {
        double[] m = mean.clone();
        double[] s = std.clone();
        if (m.length == 0 || m.length != s.length) {
            throw new IllegalArgumentException("normalize: mean and std must have the same non-zero length, got "
                    + Arrays.toString(m) + " and " + Arrays.toString(s));
        }
        for (double v : s) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("normalize: std must be positive, got " + Arrays.toString(s));
            }
        }
        return x -> normalize(x, m, s);
    }

    /** {@link #normalize(double[], double[])} applied to {@code x}. */
    public static Tensor normalize(Tensor x, double[] mean, double[] std) {
        if ((x.dim() != 3 && x.dim() != 4) || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("normalize: expected a floating-point [C, H, W] or [N, C, H, W] array, got "
                    + x.describe());
        }
        int c = x.size(-3);
        if (mean.length != c && mean.length != 1) {
            throw new IllegalArgumentException("normalize: " + mean.length + " means and stds for " + c + " channels in "
                    + x.describe());
        }
        double[] mm = new double[c];
        double[] ss = new double[c];
        for (int i = 0; i < c; i++) {
            mm[i] = mean[mean.length == 1 ? 0 : i];
            ss[i] = std[std.length == 1 ? 0 : i];
        }
        Tensor mArr = Tensor.of(mm, c, 1, 1).toType(x.dtype()).to(x.device());
        Tensor sArr = Tensor.of(ss, c, 1, 1).toType(x.dtype()).to(x.device());
        return x.sub(mArr).div(sArr);
    }

    /**
     * Resizes to exactly {@code height x width} with bilinear interpolation, matching PyTorch's
     * {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)} (source coordinate
     * {@code (dst + 0.5) * in / out - 0.5}, clamped at 0). U8 images are interpolated in float and rounded, as
     * torchvision does.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Transform resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize: size must be positive, got " + height + "x" + width);
        }
        return x -> resize(x, height, width);
    }

    /**
     * torchvision's {@code Resize(size)} with an int: the shorter side becomes {@code size} and the longer one keeps
     * the aspect ratio ({@code (int) (size * long / short)}), bilinear.
     */
    public static Transform resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("resize: size must be positive, got " + size);
        }
        return x -> {
            requireImage("resize", x);
            int h = x.size(-2);
            int w = x.size(-1);
            if (h <= w) {
                return resize(x, size, (int) ((long) size * w / h));
            }
            return resize(x, (int) ((long) size * h / w), size);
        };
    }

    /** Bilinear resize of the last two dims of {@code x} to {@code height x width} (see {@link #resize(int, int)}). */
    public static Tensor resize(Tensor x, int height, int width) {
        requireImage("resize", x);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize: size must be positive, got " + height + "x" + width);
        }
        int[] shape = x.shape();
        int h = shape[shape.length - 2];
        int w = shape[shape.length - 1];
        int planes = x.numel() / Math.max(1, h * w);
        double[] src = x.contiguous().toDoubleArray();
        double[] dst = new double[planes * height * width];
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        double[] wy = new double[height];
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        double[] wx = new double[width];
        coefficients(h, height, y0, y1, wy);
        coefficients(w, width, x0, x1, wx);
        for (int p = 0; p < planes; p++) {
            int so = p * h * w;
            int dO = p * height * width;
            for (int i = 0; i < height; i++) {
                int r0 = so + y0[i] * w;
                int r1 = so + y1[i] * w;
                double ly = wy[i];
                for (int j = 0; j < width; j++) {
                    double lx = wx[j];
                    double top = (1 - lx) * src[r0 + x0[j]] + lx * src[r0 + x1[j]];
                    double bot = (1 - lx) * src[r1 + x0[j]] + lx * src[r1 + x1[j]];
                    dst[dO + i * width + j] = (1 - ly) * top + ly * bot;
                }
            }
        }
        shape[shape.length - 2] = height;
        shape[shape.length - 1] = width;
        return fromDoubles(dst, x.dtype(), x.device(), shape);
    }

    private static void coefficients(int in, int out, int[] i0, int[] i1, double[] lambda) {
        double scale = (double) in / out;
        for (int d = 0; d < out; d++) {
            double s = Math.max((d + 0.5) * scale - 0.5, 0);
            int a = (int) s;
            if (a > in - 1) {
                a = in - 1;
            }
            i0[d] = a;
            i1[d] = a < in - 1 ? a + 1 : a;
            lambda[d] = s - a;
        }
    }

    /** Converts computed values back to {@code dtype}: floats as is (F32 rounded once), integers rounded and clamped. */
    static Tensor fromDoubles(double[] v, DType dtype, Device device, int[] shape) {
        return onHostOf(v, dtype, shape).to(device);
    }

    private static Tensor onHostOf(double[] v, DType dtype, int[] shape) {
        switch (dtype) {
            case F64:
                return Tensor.of(v, shape);
            case F32: {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                return Tensor.of(f, shape);
            }
            case U8: {
                byte[] b = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    b[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
                }
                return Tensor.ofUnsignedBytes(b, shape);
            }
            default: {
                long[] l = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = Math.round(v[i]);
                }
                return Tensor.of(l, shape).toType(dtype);
            }
        }
    }

    /**
     * torchvision's {@code CenterCrop}: the central {@code height x width} region, the top-left corner at
     * {@code round((H - height) / 2)}, {@code round((W - width) / 2)} (rounding half to even, as Python does). An
     * image smaller than the crop is first padded with zeros on both sides.
     */
    public static Transform centerCrop(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("centerCrop: size must be positive, got " + height + "x" + width);
        }
        return x -> centerCrop(x, height, width);
    }

    /** A square {@link #centerCrop(int, int)}. */
    public static Transform centerCrop(int size) {
        return centerCrop(size, size);
    }

    /** {@link #centerCrop(int, int)} applied to {@code x}. */
    public static Tensor centerCrop(Tensor x, int height, int width) {
        requireImage("centerCrop", x);
        int h = x.size(-2);
        int w = x.size(-1);
        if (height > h || width > w) {
            int padL = width > w ? (width - w) / 2 : 0;
            int padT = height > h ? (height - h) / 2 : 0;
            int padR = width > w ? (width - w + 1) / 2 : 0;
            int padB = height > h ? (height - h + 1) / 2 : 0;
            x = x.pad(padL, padR, padT, padB);
            h = x.size(-2);
            w = x.size(-1);
            if (h == height && w == width) {
                return x;
            }
        }
        int top = (int) Math.rint((h - height) / 2.0);
        int left = (int) Math.rint((w - width) / 2.0);
        return crop(x, top, left, height, width);
    }

    /**
     * The region of {@code x} with top-left corner ({@code top}, {@code left}) and size {@code height x width} (a view).
     *
     * @throws IllegalArgumentException if the region is not inside the image
     */
    public static Tensor crop(Tensor x, int top, int left, int height, int width) {
        requireImage("crop", x);
        int h = x.size(-2);
        int w = x.size(-1);
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
            throw new IllegalArgumentException("crop: region (top " + top + ", left " + left + ", " + height + "x" + width
                    + ") is not inside " + x.describe());
        }
        return x.narrow(-2, top, height).narrow(-1, left, width);
    }

    /** {@link #randomCrop(int, int, int, Generator)} of a square, drawing from the global generator. */
    public static Transform randomCrop(int size, int padding) {
        return randomCrop(size, size, padding, Generator.global());
    }

    /** {@link #randomCrop(int, int, int, Generator)} of a square. */
    public static Transform randomCrop(int size, int padding, Generator gen) {
        return randomCrop(size, size, padding, gen);
    }

    /**
     * torchvision's {@code RandomCrop(size, padding)}: pads every side with {@code padding} zeros, then takes a
     * {@code height x width} region whose top-left corner is uniform over all positions that fit
     * ({@code top = randint(0, H - height + 1)}, then {@code left} likewise).
     *
     * @throws IllegalArgumentException if a size is not positive or the padding negative
     */
    public static Transform randomCrop(int height, int width, int padding, Generator gen) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("randomCrop: size must be positive and padding >= 0, got " + height + "x"
                    + width + ", padding " + padding);
        }
        Objects.requireNonNull(gen, "randomCrop: gen");
        return x -> {
            requireImage("randomCrop", x);
            Tensor p = padding > 0 ? x.pad(padding, padding, padding, padding) : x;
            int h = p.size(-2);
            int w = p.size(-1);
            if (h < height || w < width) {
                throw new IllegalArgumentException("randomCrop: crop " + height + "x" + width + " is larger than the "
                        + (padding > 0 ? "padded " : "") + "image " + p.describe());
            }
            int top = (int) gen.nextLong(h - height + 1);
            int left = (int) gen.nextLong(w - width + 1);
            return crop(p, top, left, height, width);
        };
    }

    /** {@link #randomHorizontalFlip(double, Generator)} with the global generator. */
    public static Transform randomHorizontalFlip(double p) {
        return randomHorizontalFlip(p, Generator.global());
    }

    /**
     * torchvision's {@code RandomHorizontalFlip(p)}: mirrors the last dim with probability {@code p}.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public static Transform randomHorizontalFlip(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("randomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        Objects.requireNonNull(gen, "randomHorizontalFlip: gen");
        return x -> {
            requireImage("randomHorizontalFlip", x);
            return gen.nextDouble() < p ? x.flip(-1) : x;
        };
    }

    /** Mirrors the last dim (left-right) of {@code x}. */
    public static Tensor horizontalFlip(Tensor x) {
        requireImage("horizontalFlip", x);
        return x.flip(-1);
    }

    /**
     * Pads the last two dims with a constant (torchvision's {@code Pad(padding, fill)}).
     *
     * @throws IllegalArgumentException if {@code padding} is negative
     */
    public static Transform pad(int padding, double fill) {
        if (padding < 0) {
            throw new IllegalArgumentException("pad: padding must be >= 0, got " + padding);
        }
        return x -> {
            requireImage("pad", x);
            return x.pad(new int[] {padding, padding, padding, padding}, PadMode.CONSTANT, fill);
        };
    }

    static void requireImage(String op, Tensor x) {
        Objects.requireNonNull(x, op + ": image");
        if (x.dim() < 2 || x.size(-1) == 0 || x.size(-2) == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty image [..., H, W], got " + x.describe());
        }
    }
}
