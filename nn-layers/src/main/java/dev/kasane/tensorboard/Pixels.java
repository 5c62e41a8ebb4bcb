package dev.kasane.tensorboard;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A host copy of images as 8-bit channels, {@code [count, channels, height, width]} row-major, converted as PyTorch's
 * {@code SummaryWriter} converts them: U8 as is, floating point scaled by 255, clipped to [0, 255] and truncated.
 *
 * @param count images
 * @param channels channels per pixel
 * @param height height of one image
 * @param width width of one image
 * @param data the channels, {@code [count, channels, height, width]} row-major (not copied)
 */
record Pixels(int count, int channels, int height, int width, byte[] data) {
    /**
     * Copies {@code images}, {@code [N, C, H, W]} if {@code batch}, else {@code [C, H, W]} or {@code [H, W]}, with C 1
     * (grey), 3 (RGB) or 4 (RGBA), U8 or floating point in [0, 1].
     *
     * @param op the calling method and tag, for errors
     * @throws IllegalArgumentException for another shape or dtype, or a NaN or infinite value
     */
    static Pixels of(String op, Tensor images, boolean batch) {
        int[] s = images.shape();
        DType dt = images.dtype();
        boolean shapeOk = batch ? s.length == 4 && s[0] > 0 : s.length == 2 || s.length == 3;
        int c = s.length == 2 ? 1 : s[s.length - 3];
        if (!shapeOk || (c != 1 && c != 3 && c != 4) || (dt != DType.U8 && !dt.isFloating())) {
            throw new IllegalArgumentException(op + ": expected " + (batch ? "[N, C, H, W] with N >= 1" : "[C, H, W] or [H, W]")
                    + ", C in {1, 3, 4}, U8 or floating point, got " + images.describe());
        }
        int h = s[s.length - 2];
        int w = s[s.length - 1];
        float[] v = images.toFloatArray();
        float scale = dt == DType.U8 ? 1 : 255;
        byte[] data = new byte[v.length];
        int bad = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                bad++;
            }
            data[i] = (byte) (int) Math.max(0f, Math.min(255f, v[i] * scale));
        }
        if (bad > 0) {
            throw new IllegalArgumentException(op + ": " + bad + " of " + v.length + " values are NaN or infinite in "
                    + images.describe());
        }
        return new Pixels(batch ? s[0] : 1, c, h, w, data);
    }

    /**
     * The images side by side, {@code min(count, columns)} per row and as many rows as needed, the cells left over
     * black (PyTorch's {@code make_grid} for TensorBoard, without padding).
     */
    Pixels grid(int columns) {
        int cols = Math.min(count, columns);
        int rows = (count + cols - 1) / cols;
        int gh = rows * height;
        int gw = cols * width;
        byte[] out = new byte[channels * gh * gw];
        for (int n = 0; n < count; n++) {
            int top = (n / cols) * height;
            int left = (n % cols) * width;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    System.arraycopy(data, ((n * channels + c) * height + y) * width, out, (c * gh + top + y) * gw + left,
                            width);
                }
            }
        }
        return new Pixels(1, channels, gh, gw, out);
    }

    /** The first image, PNG-encoded (grey, RGB or RGBA as its channels). */
    byte[] png() {
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
        BufferedImage image = new BufferedImage(width, height, type);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (channels == 1) {
                    image.getRaster().setSample(x, y, 0, data[p] & 0xFF);
                } else {
                    int r = data[p] & 0xFF;
                    int g = data[plane + p] & 0xFF;
                    int b = data[2 * plane + p] & 0xFF;
                    int a = channels == 4 ? data[3 * plane + p] & 0xFF : 0xFF;
                    image.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("Pixels.png: the JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "Pixels" + Arrays.toString(new int[] {count, channels, height, width});
    }
}
