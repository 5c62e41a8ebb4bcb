package dev.kasane.examples.dip;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Device;
import java.util.SplittableRandom;

/**
 * The test image of the Deep Image Prior example, drawn procedurally (nothing is downloaded): a sky with a vertical
 * colour gradient, a sun, two ranges of hills, a house with a roof, a door and a window, a tree, a checkerboard
 * flag and a striped field, anti-aliased by 4x4 super-sampling. It has flat regions, smooth gradients, sharp edges
 * and fine periodic texture, which is what a denoiser or an inpainter has to get right.
 *
 * <p>Corruptions for the two tasks are also made here: additive Gaussian noise and an inpainting mask of thick
 * strokes and stripes.
 */
public final class SyntheticScene {
    private static final int SUPER = 4;

    private SyntheticScene() {
    }

    /**
     * The clean scene.
     *
     * @param size height and width in pixels (at least 16)
     * @return F32 {@code [3, size, size]} RGB in [0, 1]
     */
    public static Tensor image(int size) {
        if (size < 16) {
            throw new IllegalArgumentException("SyntheticScene.image: size must be >= 16, got " + size);
        }
        float[] out = new float[3 * size * size];
        double[] rgb = new double[3];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int sy = 0; sy < SUPER; sy++) {
                    for (int sx = 0; sx < SUPER; sx++) {
                        double u = (x + (sx + 0.5) / SUPER) / size;
                        double v = (y + (sy + 0.5) / SUPER) / size;
                        shade(u, v, rgb);
                        r += rgb[0];
                        g += rgb[1];
                        b += rgb[2];
                    }
                }
                int n = SUPER * SUPER;
                out[y * size + x] = (float) (r / n);
                out[plane + y * size + x] = (float) (g / n);
                out[2 * plane + y * size + x] = (float) (b / n);
            }
        }
        return Tensor.of(out, 3, size, size).to(Device.CPU);
    }

    /** The colour at (u, v) in [0, 1]^2, v growing downwards. */
    private static void shade(double u, double v, double[] c) {
        // Sky: blue at the top to pale orange at the horizon.
        double t = Math.min(1, v / 0.6);
        set(c, 0.25 + 0.7 * t, 0.45 + 0.4 * t, 0.85 - 0.25 * t);
        // Sun with a soft halo.
        double ds = Math.hypot(u - 0.78, v - 0.2);
        if (ds < 0.09) {
            set(c, 1.0, 0.9, 0.35);
        } else if (ds < 0.14) {
            double w = (0.14 - ds) / 0.05 * 0.5;
            mix(c, 1.0, 0.85, 0.5, w);
        }
        // Far hills (bluish) and near hills (green, shaded by height).
        double far = 0.5 - 0.08 * Math.sin(2 * Math.PI * (1.3 * u + 0.1)) - 0.04 * Math.sin(2 * Math.PI * 3.1 * u);
        if (v > far) {
            set(c, 0.35, 0.45, 0.6);
        }
        double near = 0.62 - 0.06 * Math.sin(2 * Math.PI * (0.9 * u + 0.4)) - 0.02 * Math.sin(2 * Math.PI * 5.3 * u);
        if (v > near) {
            double k = (v - near) / (1 - near);
            set(c, 0.2 + 0.15 * k, 0.55 - 0.2 * k, 0.2);
            // Striped field in the lower right.
            if (u > 0.55 && v > 0.8) {
                boolean stripe = ((int) Math.floor((u + 0.5 * v) * 28)) % 2 == 0;
                set(c, stripe ? 0.85 : 0.6, stripe ? 0.75 : 0.5, stripe ? 0.25 : 0.15);
            }
        }
        // House body, roof, door, window.
        if (u > 0.15 && u < 0.45 && v > 0.55 && v < 0.85) {
            set(c, 0.9, 0.85, 0.75);
            if (u > 0.26 && u < 0.34 && v > 0.7) {
                set(c, 0.45, 0.25, 0.1);
            }
            if (u > 0.37 && u < 0.43 && v > 0.6 && v < 0.67) {
                set(c, 0.3, 0.6, 0.9);
                if (Math.abs(u - 0.40) < 0.004 || Math.abs(v - 0.635) < 0.004) {
                    set(c, 0.2, 0.2, 0.2);
                }
            }
        }
        if (v <= 0.55 && v > 0.38 && Math.abs(u - 0.3) < (v - 0.38) / 0.17 * 0.18) {
            set(c, 0.7, 0.15, 0.1);
        }
        // Tree: trunk and round crown.
        if (u > 0.055 && u < 0.085 && v > 0.6 && v < 0.9) {
            set(c, 0.4, 0.25, 0.1);
        }
        if (Math.hypot(u - 0.07, v - 0.55) < 0.08) {
            double k = Math.hypot(u - 0.05, v - 0.52) / 0.1;
            set(c, 0.1 + 0.1 * k, 0.45 - 0.15 * k, 0.12);
        }
        // Checkerboard flag on a pole.
        if (u > 0.58 && u < 0.595 && v > 0.35 && v < 0.75) {
            set(c, 0.3, 0.3, 0.3);
        }
        if (u >= 0.595 && u < 0.72 && v > 0.35 && v < 0.45) {
            boolean black = (((int) Math.floor((u - 0.595) * 40)) + ((int) Math.floor((v - 0.35) * 40))) % 2 == 0;
            double w = black ? 0.05 : 0.95;
            set(c, w, w, w);
        }
    }

    private static void set(double[] c, double r, double g, double b) {
        c[0] = r;
        c[1] = g;
        c[2] = b;
    }

    private static void mix(double[] c, double r, double g, double b, double w) {
        c[0] = c[0] * (1 - w) + r * w;
        c[1] = c[1] * (1 - w) + g * w;
        c[2] = c[2] * (1 - w) + b * w;
    }

    /**
     * {@code image + N(0, sigma^2)} (not clipped, as in the Deep Image Prior paper's denoising set-up).
     *
     * @param image F32 {@code [C, H, W]}
     * @param sigma standard deviation of the noise (25/255 in the paper's main experiment)
     * @param seed noise seed
     */
    public static Tensor addNoise(Tensor image, double sigma, long seed) {
        float[] x = image.contiguous().toFloatArray();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (sigma * gaussian(rnd));
        }
        return Tensor.of(x, image.shape()).to(Device.CPU);
    }

    /**
     * An inpainting mask: 1 where the pixel is known, 0 where it is missing. The missing pixels are a set of thick
     * random strokes (like scribbled-over text) plus three horizontal stripes, about a quarter of the image.
     *
     * @param size height and width
     * @param seed stroke seed
     * @return F32 {@code [1, size, size]} of 0 and 1
     */
    public static Tensor inpaintingMask(int size, long seed) {
        float[] m = new float[size * size];
        java.util.Arrays.fill(m, 1f);
        SplittableRandom rnd = new SplittableRandom(seed);
        double thick = Math.max(1.0, size / 48.0);
        int strokes = 14;
        for (int k = 0; k < strokes; k++) {
            double x0 = rnd.nextDouble() * size;
            double y0 = rnd.nextDouble() * size;
            double ang = rnd.nextDouble() * 2 * Math.PI;
            double len = size * (0.15 + 0.25 * rnd.nextDouble());
            double x1 = x0 + Math.cos(ang) * len;
            double y1 = y0 + Math.sin(ang) * len;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (segmentDistance(x + 0.5, y + 0.5, x0, y0, x1, y1) <= thick) {
                        m[y * size + x] = 0f;
                    }
                }
            }
        }
        int stripe = Math.max(1, size / 32);
        for (double frac : new double[] {0.3, 0.55, 0.8}) {
            int y0 = (int) (frac * size);
            for (int y = y0; y < Math.min(size, y0 + stripe); y++) {
                for (int x = 0; x < size; x++) {
                    m[y * size + x] = 0f;
                }
            }
        }
        return Tensor.of(m, 1, size, size).to(Device.CPU);
    }

    private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
