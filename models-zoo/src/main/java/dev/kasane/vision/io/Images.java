package dev.kasane.vision.io;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.AtomicFiles;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.vision.transforms.Transforms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading and writing images (PNG, JPEG, BMP, GIF through {@code javax.imageio}) as arrays, and torchvision's
 * {@code make_grid} / {@code save_image}.
 *
 * <p>Layouts: {@link #read} returns what a decoder gives, U8 {@code [H, W, C]} (C = 1 or 3), the input of
 * {@code Transforms.toTensor()}; {@link #readTensor} returns F32 {@code [C, H, W]} in [0, 1]. {@link #write} takes
 * {@code [C, H, W]} or {@code [H, W]} with C = 1 or 3, either U8 or floating point in [0, 1] (scaled by 255, rounded
 * and clamped as torchvision's {@code save_image} does). Files are written to a temporary file and renamed.
 *
 * <p>Reading is guarded against hostile files: an image declaring more pixels than a limit ({@link #maxPixels()},
 * by default {@value #DEFAULT_MAX_PIXELS}, PIL's limit; set the system property {@value #MAX_PIXELS_PROPERTY} or
 * pass a limit to {@link #read(Path, ColorMode, long)}) is refused from its header, before any pixel is decoded; and a
 * PNG's chunk CRCs and image data size are checked before ImageIO decodes it, which checks neither.
 *
 * <pre>{@code
 * Images.saveImageGrid(fakes, Path.of("samples.png"), 8, true);     // fakes: F32 [64, 1, 28, 28] in [-1, 1]
 * Tensor img = Images.readTensor(Path.of("samples.png"));           // F32 [3, 242, 242]
 * }</pre>
 */
public final class Images {
    /** The system property that sets the default pixel limit of {@link #read}. */
    public static final String MAX_PIXELS_PROPERTY = "kasane.images.maxPixels";
    /** The default pixel limit of {@link #read}: PIL's {@code Image.MAX_IMAGE_PIXELS}, about 89 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;
    /** The largest pixel limit accepted: an RGB image of that many pixels still fits in one Java array. */
    public static final long MAX_PIXELS_LIMIT = (Integer.MAX_VALUE - 8) / 3;

    private Images() {
    }

    /** Colour handling when reading. */
    public enum ColorMode {
        /** Grey images stay single-channel, everything else becomes RGB (alpha dropped). */
        AUTO,
        /** Always one channel (luma, ITU-R 601: 0.299 R + 0.587 G + 0.114 B, as PIL's {@code convert("L")}). */
        GRAY,
        /** Always three channels (grey replicated), as PIL's {@code convert("RGB")}. */
        RGB
    }

    /**
     * Reads an image as U8 {@code [H, W, C]}, refusing images of more than {@code maxPixels} pixels before decoding
     * them. A PNG is checked first (every chunk's CRC, and image data that inflates to exactly what its header needs),
     * so a corrupt, truncated or short PNG is an error, never a partial image.
     *
     * @param maxPixels the most pixels (width times height) accepted, in {@code [1, }{@value #MAX_PIXELS_LIMIT}{@code ]}
     * @throws IllegalArgumentException if {@code maxPixels} is out of range
     * @throws IOException naming the file if it cannot be read, is not an image format ImageIO knows, is corrupt, or
     *     has more pixels than {@code maxPixels}
     */
    public static Tensor read(Path file, ColorMode mode, long maxPixels) throws IOException {
        Objects.requireNonNull(file, "Images.read: file");
        Objects.requireNonNull(mode, "Images.read: mode");
        if (maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
            throw new IllegalArgumentException("Images.read: maxPixels must be in [1, " + MAX_PIXELS_LIMIT + "], got "
                    + maxPixels);
        }
        return fromBufferedImage(decode(file, maxPixels), mode);
    }

    /** {@link #read(Path, ColorMode, long)} with the default limit, {@link #maxPixels()}. */
    public static Tensor read(Path file, ColorMode mode) throws IOException {
        return read(file, mode, maxPixels());
    }

    /** {@link #read(Path, ColorMode)} with {@link ColorMode#AUTO}. */
    public static Tensor read(Path file) throws IOException {
        return read(file, ColorMode.AUTO);
    }

    /** Reads an image as F32 {@code [C, H, W]} in [0, 1] (C = 1 for grey images, else 3), as {@link #read(Path)}. */
    public static Tensor readTensor(Path file) throws IOException {
        return Transforms.toTensor(read(file, ColorMode.AUTO));
    }

    /**
     * The default pixel limit of {@link #read}: the system property {@value #MAX_PIXELS_PROPERTY} when set, else
     * {@value #DEFAULT_MAX_PIXELS}.
     *
     * @throws IllegalStateException if the property is not an integer in {@code [1, }{@value #MAX_PIXELS_LIMIT}{@code ]}
     */
    public static long maxPixels() {
        String v = System.getProperty(MAX_PIXELS_PROPERTY);
        if (v == null) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long n = Long.parseLong(v.strip().replace("_", ""));
            if (n >= 1 && n <= MAX_PIXELS_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("Images.read: system property " + MAX_PIXELS_PROPERTY + " = '" + v
                + "' is not an integer in [1, " + MAX_PIXELS_LIMIT + "]");
    }

    private static BufferedImage decode(Path file, long maxPixels) throws IOException {
        ImageInputStream in;
        try {
            in = new FileImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new IOException("Images.read: cannot read " + file + ": " + e.getMessage(), e);
        }
        try (in) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("Images.read: " + file + " is not an image in a format ImageIO can read (PNG, JPEG,"
                        + " BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = decoding(file, () -> reader.getWidth(0));
                long height = decoding(file, () -> reader.getHeight(0));
                if (width * height > maxPixels) {
                    throw new IOException("Images.read: " + file + " is " + width + "x" + height + " = " + width * height
                            + " pixels, more than the limit of " + maxPixels + " (raise it with -D" + MAX_PIXELS_PROPERTY
                            + "=N or Images.read(file, mode, N))");
                }
                if ("png".equalsIgnoreCase(reader.getFormatName())) {
                    PngCheck.verify(file);
                }
                return decoding(file, () -> reader.read(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /** A step of ImageIO's decoding. */
    private interface Decoding<T> {
        T run() throws IOException;
    }

    /** Runs {@code step}, turning ImageIO's errors (IIOException, EOF, runtime exceptions) into one naming the file. */
    private static <T> T decoding(Path file, Decoding<T> step) throws IOException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            throw new IOException("Images.read: cannot decode " + file + ": " + e, e);
        }
    }

    /** Converts a decoded image to U8 {@code [H, W, C]}. */
    public static Tensor fromBufferedImage(BufferedImage img, ColorMode mode) {
        int h = img.getHeight();
        int w = img.getWidth();
        boolean gray = mode == ColorMode.GRAY || (mode == ColorMode.AUTO && isGray(img));
        int c = gray ? 1 : 3;
        byte[] out = new byte[h * w * c];
        if (gray && (img.getType() == BufferedImage.TYPE_BYTE_GRAY)) {
            var raster = img.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) row[x];
                }
            }
            return onCpu(out, DType.U8, h, w, 1);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < h * w; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xFF;
            int g = (p >> 8) & 0xFF;
            int b = p & 0xFF;
            if (gray) {
                // PIL's L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded
                out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            } else {
                out[3 * i] = (byte) r;
                out[3 * i + 1] = (byte) g;
                out[3 * i + 2] = (byte) b;
            }
        }
        return onCpu(out, DType.U8, h, w, c);
    }

    private static boolean isGray(BufferedImage img) {
        return img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && img.getColorModel().getNumComponents() == 1;
    }

    /**
     * Writes {@code image} ({@code [C, H, W]} or {@code [H, W]}, C = 1 or 3; U8, or floating point in [0, 1]) to
     * {@code file}, in the format its extension names ({@code .png}, {@code .jpg}, {@code .bmp}, ...), as
     * {@link #write(BufferedImage, String, Path)}.
     *
     * @throws IllegalArgumentException if the shape or dtype is not an image's
     * @throws IOException naming the file if it cannot be written or the extension is not a known format
     */
    public static void write(Tensor image, Path file) throws IOException {
        Objects.requireNonNull(image, "Images.write: image");
        Objects.requireNonNull(file, "Images.write: file");
        String format = formatOf(file);
        write(toBufferedImage(image), format, file);
    }

    /**
     * Writes a decoded image to {@code file} in {@code format}, creating the directory if needed, with
     * {@link AtomicFiles}: through a temporary file renamed into place, with the permissions of any new file.
     *
     * @param format an ImageIO format name: {@code "png"}, {@code "jpg"}, {@code "bmp"}, {@code "gif"}
     * @throws IOException naming the file if no ImageIO writer knows {@code format} or can encode this image, or the
     *     file cannot be written
     */
    public static void write(BufferedImage image, String format, Path file) throws IOException {
        Objects.requireNonNull(image, "Images.write: image");
        Objects.requireNonNull(format, "Images.write: format");
        Objects.requireNonNull(file, "Images.write: file");
        if (!ImageIO.getImageWritersByFormatName(format).hasNext()) {
            throw new IOException("Images.write: no ImageIO writer for format '" + format + "' (file " + file + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("Images.write: cannot create the directory of " + file + ": " + e, e);
        }
        AtomicFiles.write(file, "Images.write", ch -> {
            if (!ImageIO.write(image, format, Channels.newOutputStream(ch))) {
                throw new IOException("no " + format + " writer can encode a " + image.getColorModel() + " image");
            }
        });
    }

    private static String formatOf(Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new IOException("Images.write: " + file + " has no extension naming an image format (.png, .jpg, .bmp)");
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.equals("jpeg") ? "jpg" : ext;
    }

    /**
     * Converts {@code [C, H, W]} or {@code [H, W]} (C = 1 or 3; U8, or floating point in [0, 1]) to a grey or RGB
     * image. Floats are mapped as torchvision does: {@code clamp(x * 255 + 0.5, 0, 255)} truncated to an integer; NaN
     * becomes 0.
     */
    public static BufferedImage toBufferedImage(Tensor image) {
        Tensor chw = image.dim() == 2 ? image.unsqueeze(0) : image;
        if (chw.dim() != 3 || (chw.size(0) != 1 && chw.size(0) != 3) || chw.size(1) < 1 || chw.size(2) < 1) {
            throw new IllegalArgumentException("Images.write: expected an image [C, H, W] or [H, W] with C = 1 or 3, got "
                    + image.describe());
        }
        if (chw.dtype() != DType.U8 && !chw.dtype().isFloating()) {
            throw new IllegalArgumentException("Images.write: expected a U8 or floating-point image, got " + image.describe());
        }
        int c = chw.size(0);
        int h = chw.size(1);
        int w = chw.size(2);
        int[] v = toBytes(chw);
        BufferedImage img;
        if (c == 1) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSamples(0, 0, w, h, 0, v);
        } else {
            img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[h * w];
            int plane = h * w;
            for (int i = 0; i < plane; i++) {
                rgb[i] = (v[i] << 16) | (v[plane + i] << 8) | v[2 * plane + i];
            }
            img.setRGB(0, 0, w, h, rgb, 0, w);
        }
        return img;
    }

    private static int[] toBytes(Tensor chw) {
        int n = chw.numel();
        int[] out = new int[n];
        if (chw.dtype() == DType.U8) {
            return chw.contiguous().toIntArray();
        } else {
            float[] f = chw.contiguous().toFloatArray();
            for (int i = 0; i < n; i++) {
                float s = f[i] * 255f + 0.5f;
                out[i] = s != s ? 0 : (int) Math.max(0f, Math.min(255f, s));
            }
        }
        return out;
    }

    /**
     * torchvision's {@code make_grid}: tiles a batch {@code [N, C, H, W]} (C = 1 or 3; a single {@code [C, H, W]} or
     * {@code [H, W]} image is a batch of one) into one F32 image {@code [3, rows * (H + padding) + padding,
     * cols * (W + padding) + padding]}, {@code cols = min(nrow, N)} images per row, gaps filled with {@code padValue}.
     * One-channel images are replicated to three channels; a batch of one image is returned without padding.
     *
     * @param nrow images per row of the grid
     * @param padding pixels between and around the images
     * @param normalize if true, shift and scale by the whole batch's min and max to [0, 1] first
     * @param padValue value of the gaps
     */
    public static Tensor makeGrid(Tensor batch, int nrow, int padding, boolean normalize, double padValue) {
        Objects.requireNonNull(batch, "makeGrid: batch");
        if (nrow < 1 || padding < 0) {
            throw new IllegalArgumentException("makeGrid: nrow must be >= 1 and padding >= 0, got nrow " + nrow
                    + ", padding " + padding);
        }
        Tensor t = batch;
        if (t.dim() == 2) {
            t = t.unsqueeze(0);
        }
        if (t.dim() == 3) {
            t = t.unsqueeze(0);
        }
        if (t.dim() != 4 || (t.size(1) != 1 && t.size(1) != 3) || t.size(0) < 1) {
            throw new IllegalArgumentException("makeGrid: expected a batch [N, C, H, W] with N >= 1 and C = 1 or 3, got "
                    + batch.describe());
        }
        int n = t.size(0);
        int c = t.size(1);
        int h = t.size(2);
        int w = t.size(3);
        float[] src = t.dtype() == DType.U8 ? scaledU8(t) : t.contiguous().toFloatArray();
        if (normalize) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : src) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            float range = Math.max(hi - lo, 1e-5f);
            for (int i = 0; i < src.length; i++) {
                src[i] = (Math.max(lo, Math.min(hi, src[i])) - lo) / range;
            }
        }
        if (n == 1) {
            float[] one = new float[3 * h * w];
            for (int k = 0; k < 3; k++) {
                System.arraycopy(src, (c == 1 ? 0 : k) * h * w, one, k * h * w, h * w);
            }
            return onCpu(one, DType.F32, 3, h, w);
        }
        int xmaps = Math.min(nrow, n);
        int ymaps = (n + xmaps - 1) / xmaps;
        int cellH = h + padding;
        int cellW = w + padding;
        int gh = cellH * ymaps + padding;
        int gw = cellW * xmaps + padding;
        float[] grid = new float[3 * gh * gw];
        java.util.Arrays.fill(grid, (float) padValue);
        for (int k = 0; k < n; k++) {
            int y0 = (k / xmaps) * cellH + padding;
            int x0 = (k % xmaps) * cellW + padding;
            for (int ch = 0; ch < 3; ch++) {
                int s = (k * c + (c == 1 ? 0 : ch)) * h * w;
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, s + y * w, grid, (ch * gh + y0 + y) * gw + x0, w);
                }
            }
        }
        return onCpu(grid, DType.F32, 3, gh, gw);
    }

    /** A CPU tensor over a host array (Tensor's creation from values follows the default device). */
    private static Tensor onCpu(Object hostArray, DType dtype, int... shape) {
        return Function.tensor(NDArray.fromHost(hostArray, dtype, Device.CPU, shape));
    }

    private static float[] scaledU8(Tensor t) {
        int[] b = t.contiguous().toIntArray();
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] / 255f;
        }
        return f;
    }

    /**
     * torchvision's {@code save_image}: {@link #makeGrid} with padding 2 and pad value 0, written to {@code file}.
     *
     * @param batch images {@code [N, C, H, W]} (C = 1 or 3), floating point in [0, 1] unless {@code normalize}, or U8
     * @param nrow images per row
     * @param normalize if true, map the batch's [min, max] to [0, 1] (e.g. for a generator's tanh output)
     * @throws IOException naming the file if it cannot be written
     */
    public static void saveImageGrid(Tensor batch, Path file, int nrow, boolean normalize) throws IOException {
        write(makeGrid(batch, nrow, 2, normalize, 0), file);
    }
}
