package dev.kasane.examples.unet;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.TensorDataset;
import dev.kasane.tensor.Device;
import java.util.SplittableRandom;

/**
 * A seeded synthetic segmentation data set, generated in code: grey images of random ellipses, rectangles and
 * triangles (rotated, 1 to 4 per image, possibly overlapping) drawn brighter than a smoothly shaded background, with
 * Gaussian pixel noise on top, and the binary mask of the shapes as the target.
 *
 * <p>Each image is {@code F32 [1, size, size]} with values roughly in [0, 1]; each mask is {@code F32 [1, size, size]}
 * with values 0 (background) and 1 (shape). Image {@code i} depends only on {@code (seed, i)}, so a training set and
 * a held-out set drawn with different seeds never share an image, and the same seed always gives the same data.
 *
 * <pre>{@code
 * TensorDataset train = SyntheticShapes.generate(512, 64, 1);   // fields: image, mask
 * TensorDataset test = SyntheticShapes.generate(128, 64, 2);
 * }</pre>
 */
public final class SyntheticShapes {
    private SyntheticShapes() {
    }

    /**
     * Generates {@code n} images and masks.
     *
     * @param n number of images
     * @param size height and width in pixels (at least 8)
     * @param seed seed of the data set
     * @return a data set whose samples are (image {@code [1, size, size]}, mask {@code [1, size, size]})
     * @throws IllegalArgumentException if {@code n < 1} or {@code size < 8}
     */
    public static TensorDataset generate(int n, int size, long seed) {
        if (n < 1 || size < 8) {
            throw new IllegalArgumentException("SyntheticShapes.generate: need n >= 1 and size >= 8, got n " + n
                    + ", size " + size);
        }
        int plane = size * size;
        float[] images = new float[n * plane];
        float[] masks = new float[n * plane];
        for (int i = 0; i < n; i++) {
            draw(new SplittableRandom(seed * 1_000_003L + i), size, images, masks, i * plane);
        }
        return new TensorDataset(
                Tensor.of(images, n, 1, size, size).to(Device.CPU),
                Tensor.of(masks, n, 1, size, size).to(Device.CPU));
    }

    /** Draws one image and its mask into {@code img} and {@code mask} at {@code off}. */
    static void draw(SplittableRandom rnd, int s, float[] img, float[] mask, int off) {
        // Background: a linear gradient in a random direction plus a low-frequency ripple, in [0.05, 0.45].
        double base = 0.1 + 0.15 * rnd.nextDouble();
        double angle = rnd.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(angle) * 0.15 * rnd.nextDouble();
        double gy = Math.sin(angle) * 0.15 * rnd.nextDouble();
        double rippleAmp = 0.05 * rnd.nextDouble();
        double rippleF = 2 + 4 * rnd.nextDouble();
        double ripplePhase = rnd.nextDouble() * 2 * Math.PI;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double u = (x + 0.5) / s;
                double v = (y + 0.5) / s;
                img[off + y * s + x] = (float) (base + gx * u + gy * v
                        + rippleAmp * Math.sin(2 * Math.PI * rippleF * (u + v) / 2 + ripplePhase));
            }
        }
        int shapes = 1 + rnd.nextInt(4);
        for (int k = 0; k < shapes; k++) {
            int type = rnd.nextInt(3);
            double cx = s * (0.15 + 0.7 * rnd.nextDouble());
            double cy = s * (0.15 + 0.7 * rnd.nextDouble());
            double a = s * (0.06 + 0.14 * rnd.nextDouble());
            double b = s * (0.06 + 0.14 * rnd.nextDouble());
            double rot = rnd.nextDouble() * Math.PI;
            double cos = Math.cos(rot);
            double sin = Math.sin(rot);
            double intensity = 0.6 + 0.35 * rnd.nextDouble();
            // Triangle vertices (in the shape's rotated frame) at three random angles on the ellipse (a, b).
            double[] tx = new double[3];
            double[] ty = new double[3];
            double t0 = rnd.nextDouble() * 2 * Math.PI;
            for (int j = 0; j < 3; j++) {
                double t = t0 + j * 2 * Math.PI / 3 + (rnd.nextDouble() - 0.5) * 0.8;
                tx[j] = a * 1.3 * Math.cos(t);
                ty[j] = b * 1.3 * Math.sin(t);
            }
            int x0 = (int) Math.max(0, Math.floor(cx - 1.5 * Math.max(a, b)));
            int x1 = (int) Math.min(s - 1, Math.ceil(cx + 1.5 * Math.max(a, b)));
            int y0 = (int) Math.max(0, Math.floor(cy - 1.5 * Math.max(a, b)));
            int y1 = (int) Math.min(s - 1, Math.ceil(cy + 1.5 * Math.max(a, b)));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    double u = cos * dx + sin * dy;
                    double v = -sin * dx + cos * dy;
                    boolean inside = switch (type) {
                        case 0 -> (u * u) / (a * a) + (v * v) / (b * b) <= 1.0;
                        case 1 -> Math.abs(u) <= a && Math.abs(v) <= b * 0.8;
                        default -> inTriangle(u, v, tx, ty);
                    };
                    if (inside) {
                        img[off + y * s + x] = (float) intensity;
                        mask[off + y * s + x] = 1f;
                    }
                }
            }
        }
        double sigma = 0.05 + 0.1 * rnd.nextDouble();
        for (int p = 0; p < s * s; p++) {
            img[off + p] += (float) (sigma * gaussian(rnd));
        }
    }

    private static boolean inTriangle(double px, double py, double[] x, double[] y) {
        double d1 = edge(px, py, x[0], y[0], x[1], y[1]);
        double d2 = edge(px, py, x[1], y[1], x[2], y[2]);
        double d3 = edge(px, py, x[2], y[2], x[0], y[0]);
        boolean neg = d1 < 0 || d2 < 0 || d3 < 0;
        boolean pos = d1 > 0 || d2 > 0 || d3 > 0;
        return !(neg && pos);
    }

    private static double edge(double px, double py, double ax, double ay, double bx, double by) {
        return (px - bx) * (ay - by) - (ax - bx) * (py - by);
    }

    /** A standard normal deviate (Box-Muller). */
    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
