package dev.kasane.nn.functional;

/**
 * The weights that resample one axis: output {@code i} is {@code sum_k weight[i K + k] * input[index[i K + k]]} over
 * {@code K = taps} input positions. Computed on the host in double precision with PyTorch's formulas
 * ({@code aten/src/ATen/native/UpSample.h} and {@code cpu/UpSampleKernel.cpp} of PyTorch 1.13).
 */
record ResampleTaps(int taps, long[] index, double[] weight) {
    /** Keys' cubic convolution parameter of PyTorch's plain bicubic interpolation. */
    static final double CUBIC_A = -0.75;
    /** The cubic parameter of PyTorch's antialiased bicubic filter (as PIL). */
    static final double CUBIC_A_ANTIALIAS = -0.5;

    /**
     * Linear ({@code cubic == false}, 2 taps) or cubic (4 taps) interpolation from {@code in} to {@code out} samples.
     *
     * @param scale the input step per output step when {@code alignCorners} is false (1 / scale factor, or in / out)
     */
    static ResampleTaps interpolation(int in, int out, double scale, boolean alignCorners, boolean cubic) {
        int taps = cubic ? 4 : 2;
        long[] index = new long[out * taps];
        double[] weight = new double[out * taps];
        double step = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : scale;
        for (int i = 0; i < out; i++) {
            double src = alignCorners ? step * i : step * (i + 0.5) - 0.5;
            if (!cubic) {
                src = Math.max(src, 0);     // linear clamps the source coordinate at 0, cubic does not
            }
            long lo = (long) Math.floor(src);
            double t = src - lo;
            int o = i * taps;
            if (cubic) {
                weight[o] = cubicFar(t + 1, CUBIC_A);
                weight[o + 1] = cubicNear(t, CUBIC_A);
                weight[o + 2] = cubicNear(1 - t, CUBIC_A);
                weight[o + 3] = cubicFar(2 - t, CUBIC_A);
                for (int k = 0; k < 4; k++) {
                    index[o + k] = clamp(lo - 1 + k, in);
                }
            } else {
                weight[o] = 1 - t;
                weight[o + 1] = t;
                index[o] = lo;
                index[o + 1] = lo < in - 1 ? lo + 1 : lo;
            }
        }
        return new ResampleTaps(taps, index, weight);
    }

    /**
     * PyTorch's antialiased resampling ({@code _upsample_bilinear2d_aa}, {@code _upsample_bicubic2d_aa}): output
     * {@code i} averages the inputs within the filter's support around {@code center = scale (i + 0.5)}, the filter
     * (triangle or cubic with A = -0.5) stretched by {@code scale} when downscaling, weights normalised to sum 1 and
     * no input beyond the border.
     */
    static ResampleTaps antialiased(int in, int out, double scale, boolean cubic) {
        double filterHalfWidth = cubic ? 2 : 1;
        double support = scale >= 1 ? filterHalfWidth * scale : filterHalfWidth;
        double invScale = scale >= 1 ? 1 / scale : 1;
        int taps = (int) Math.ceil(support) * 2 + 1;
        long[] index = new long[out * taps];
        double[] weight = new double[out * taps];
        for (int i = 0; i < out; i++) {
            double center = scale * (i + 0.5);
            long xmin = Math.max((long) (center - support + 0.5), 0);
            long xsize = Math.min((long) (center + support + 0.5), in) - xmin;
            int o = i * taps;
            double total = 0;
            for (int j = 0; j < xsize; j++) {
                double x = (j + xmin - center + 0.5) * invScale;
                double w = cubic ? cubicFilter(x, CUBIC_A_ANTIALIAS) : Math.max(0, 1 - Math.abs(x));
                weight[o + j] = w;
                total += w;
            }
            for (int j = 0; j < taps; j++) {
                index[o + j] = j < xsize ? xmin + j : xmin;     // unused taps: weight 0 at a valid index
                if (j < xsize && total != 0) {
                    weight[o + j] /= total;
                }
            }
        }
        return new ResampleTaps(taps, index, weight);
    }

    /** Keys' kernel for {@code |x| <= 1}. */
    private static double cubicNear(double x, double a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    /** Keys' kernel for {@code 1 < |x| < 2}. */
    private static double cubicFar(double x, double a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }

    private static double cubicFilter(double x, double a) {
        double ax = Math.abs(x);
        return ax < 1 ? cubicNear(ax, a) : ax < 2 ? cubicFar(ax, a) : 0;
    }

    private static long clamp(long i, int in) {
        return Math.min(Math.max(i, 0), in - 1);
    }
}
