package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Evaluation metrics over {@link Tensor}s: classification accuracy, image quality (PSNR, SSIM) and segmentation
 * overlap (IoU, Dice). All are computed on the host in double precision. See {@link ConfusionMatrix} for per-class
 * results.
 */
public final class Metrics {
    /** SSIM's Gaussian window size. */
    public static final int SSIM_WINDOW = 11;
    /** SSIM's Gaussian window standard deviation. */
    public static final double SSIM_SIGMA = 1.5;
    /** SSIM's luminance stabiliser constant K1. */
    public static final double SSIM_K1 = 0.01;
    /** SSIM's contrast stabiliser constant K2. */
    public static final double SSIM_K2 = 0.03;

    private Metrics() {
    }

    /**
     * Predicted classes: the argmax over the last dim of logits or probabilities {@code [N, K]}, or the values of
     * integer predictions {@code [N]}.
     *
     * @throws IllegalArgumentException if {@code predictions} is neither
     */
    public static long[] predictedClasses(Tensor predictions) {
        Objects.requireNonNull(predictions, "predictions");
        if (predictions.dim() == 2) {
            return predictions.argmax(1, false).toLongArray();
        }
        if (predictions.dim() == 1 && !predictions.dtype().isFloating()) {
            return predictions.toLongArray();
        }
        throw new IllegalArgumentException("accuracy: predictions must be scores [N, K] or integer classes [N], got "
                + predictions.describe());
    }

    /**
     * The fraction of samples whose predicted class equals the label.
     *
     * @param predictions scores {@code [N, K]} (argmax taken) or integer classes {@code [N]}
     * @param labels integer classes {@code [N]}
     * @throws IllegalArgumentException if the shapes disagree or N is 0
     */
    public static double accuracy(Tensor predictions, Tensor labels) {
        long[] p = predictedClasses(predictions);
        long[] y = labels(labels, p.length, "accuracy");
        if (p.length == 0) {
            throw new IllegalArgumentException("accuracy: no samples");
        }
        long hits = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == y[i]) {
                hits++;
            }
        }
        return (double) hits / p.length;
    }

    /**
     * Top-k accuracy: the fraction of samples whose label is among the {@code k} highest scores.
     *
     * @param scores {@code [N, K]}
     * @param labels integer classes {@code [N]}
     * @param k between 1 and K
     */
    public static double topKAccuracy(Tensor scores, Tensor labels, int k) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException("topKAccuracy: scores must be [N, K], got " + scores.describe());
        }
        int n = scores.size(0);
        int classes = scores.size(1);
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException("topKAccuracy: k must be in [1, " + classes + "], got " + k);
        }
        if (n == 0) {
            throw new IllegalArgumentException("topKAccuracy: no samples");
        }
        long[] y = labels(labels, n, "topKAccuracy");
        double[] s = scores.contiguous().toDoubleArray();
        long hits = 0;
        for (int i = 0; i < n; i++) {
            int label = (int) y[i];
            if (label < 0 || label >= classes) {
                continue;
            }
            double v = s[i * classes + label];
            int better = 0;
            for (int j = 0; j < classes; j++) {
                double o = s[i * classes + j];
                if (o > v || (o == v && j < label)) {
                    better++;
                }
            }
            if (better < k) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    static long[] labels(Tensor labels, int n, String op) {
        Objects.requireNonNull(labels, "labels");
        if (labels.dim() != 1 || labels.size(0) != n || labels.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": labels must be integer classes [" + n + "], got " + labels.describe());
        }
        return labels.toLongArray();
    }

    /**
     * Peak signal-to-noise ratio {@code 10 log10(dataRange^2 / MSE)} in dB over all elements; infinite when the arrays
     * are equal.
     *
     * @param dataRange the span of possible values: 1 for images in [0, 1], 255 for U8
     * @throws IllegalArgumentException if the shapes differ, the arrays are empty or {@code dataRange <= 0}
     */
    public static double psnr(Tensor a, Tensor b, double dataRange) {
        sameShape("psnr", a, b);
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("psnr: dataRange must be positive, got " + dataRange);
        }
        double[] x = a.contiguous().toDoubleArray();
        double[] y = b.contiguous().toDoubleArray();
        double se = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            se += d * d;
        }
        double mse = se / x.length;
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004) with an 11x11 Gaussian window of standard
     * deviation 1.5 (normalised to sum 1), K1 = 0.01, K2 = 0.03, computed per channel over the "valid" positions (no
     * padding: the window stays inside the image, as in the authors' {@code ssim_index.m}), with population
     * (biased) local variances, and averaged over all positions, channels and images.
     *
     * @param a images {@code [H, W]}, {@code [C, H, W]} or {@code [N, C, H, W]}
     * @param b images of the same shape
     * @param dataRange the span of possible values (1 or 255)
     * @throws IllegalArgumentException if the shapes differ or an image is smaller than 11x11
     */
    public static double ssim(Tensor a, Tensor b, double dataRange) {
        sameShape("ssim", a, b);
        if (a.dim() < 2 || a.dim() > 4) {
            throw new IllegalArgumentException("ssim: expected images [H, W], [C, H, W] or [N, C, H, W], got " + a.describe());
        }
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("ssim: dataRange must be positive, got " + dataRange);
        }
        int h = a.size(-2);
        int w = a.size(-1);
        if (h < SSIM_WINDOW || w < SSIM_WINDOW) {
            throw new IllegalArgumentException("ssim: images must be at least " + SSIM_WINDOW + "x" + SSIM_WINDOW + ", got "
                    + a.describe());
        }
        double[] x = a.contiguous().toDoubleArray();
        double[] y = b.contiguous().toDoubleArray();
        int planes = x.length / (h * w);
        double[] g = gaussianWindow(SSIM_WINDOW, SSIM_SIGMA);
        double c1 = Math.pow(SSIM_K1 * dataRange, 2);
        double c2 = Math.pow(SSIM_K2 * dataRange, 2);
        int oh = h - SSIM_WINDOW + 1;
        int ow = w - SSIM_WINDOW + 1;
        double total = 0;
        double[] xx = new double[h * w];
        double[] yy = new double[h * w];
        double[] xy = new double[h * w];
        for (int p = 0; p < planes; p++) {
            double[] px = Arrays.copyOfRange(x, p * h * w, (p + 1) * h * w);
            double[] py = Arrays.copyOfRange(y, p * h * w, (p + 1) * h * w);
            for (int i = 0; i < h * w; i++) {
                xx[i] = px[i] * px[i];
                yy[i] = py[i] * py[i];
                xy[i] = px[i] * py[i];
            }
            double[] mx = filterValid(px, h, w, g);
            double[] my = filterValid(py, h, w, g);
            double[] sxx = filterValid(xx, h, w, g);
            double[] syy = filterValid(yy, h, w, g);
            double[] sxy = filterValid(xy, h, w, g);
            double sum = 0;
            for (int i = 0; i < oh * ow; i++) {
                double mux = mx[i];
                double muy = my[i];
                double vx = sxx[i] - mux * mux;
                double vy = syy[i] - muy * muy;
                double cov = sxy[i] - mux * muy;
                sum += ((2 * mux * muy + c1) * (2 * cov + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2));
            }
            total += sum / (oh * ow);
        }
        return total / planes;
    }

    /** A 1-D Gaussian of {@code size} taps and standard deviation {@code sigma}, normalised to sum 1. */
    static double[] gaussianWindow(int size, double sigma) {
        double[] g = new double[size];
        double s = 0;
        for (int i = 0; i < size; i++) {
            double d = i - (size - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            s += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= s;
        }
        return g;
    }

    /** Separable "valid" correlation of an h x w plane with g (x) g. */
    private static double[] filterValid(double[] v, int h, int w, double[] g) {
        int k = g.length;
        int ow = w - k + 1;
        int oh = h - k + 1;
        double[] rows = new double[h * ow];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += g[t] * v[i * w + j + t];
                }
                rows[i * ow + j] = s;
            }
        }
        double[] out = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += g[t] * rows[(i + t) * ow + j];
                }
                out[i * ow + j] = s;
            }
        }
        return out;
    }

    /**
     * Intersection over union (Jaccard index) of two binary masks (non-zero = foreground): |A and B| / |A or B|;
     * 1 when both masks are empty.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static double iou(Tensor predicted, Tensor target) {
        long[] c = overlap("iou", predicted, target);
        long union = c[1] + c[2] - c[0];
        return union == 0 ? 1.0 : (double) c[0] / union;
    }

    /**
     * Dice coefficient (F1 score) of two binary masks (non-zero = foreground): 2 |A and B| / (|A| + |B|); 1 when both
     * masks are empty.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static double dice(Tensor predicted, Tensor target) {
        long[] c = overlap("dice", predicted, target);
        long denom = c[1] + c[2];
        return denom == 0 ? 1.0 : 2.0 * c[0] / denom;
    }

    /** {|A and B|, |A|, |B|}. */
    private static long[] overlap(String op, Tensor a, Tensor b) {
        sameShape(op, a, b);
        boolean[] x = a.contiguous().toBooleanArray();
        boolean[] y = b.contiguous().toBooleanArray();
        long inter = 0;
        long na = 0;
        long nb = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i]) {
                na++;
                if (y[i]) {
                    inter++;
                }
            }
            if (y[i]) {
                nb++;
            }
        }
        return new long[] {inter, na, nb};
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        Objects.requireNonNull(a, op + ": first array");
        Objects.requireNonNull(b, op + ": second array");
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.describe() + " vs " + b.describe());
        }
        if (a.numel() == 0) {
            throw new IllegalArgumentException(op + ": empty arrays " + a.describe());
        }
        if (a.dtype() == DType.BOOL && !op.equals("iou") && !op.equals("dice")) {
            throw new IllegalArgumentException(op + ": expected numeric arrays, got " + a.describe());
        }
    }
}
