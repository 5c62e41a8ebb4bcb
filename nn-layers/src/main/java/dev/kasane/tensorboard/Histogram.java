package dev.kasane.tensorboard;

import java.util.Arrays;

/**
 * A histogram as PyTorch's {@code add_histogram(tag, values, bins=n)} writes it: {@code n} equal-width bins from the
 * smallest to the largest value, counted as {@code numpy.histogram} counts in double precision (the same edges and the
 * same bin for a value on an edge; a constant input gets the range {@code value - 0.5 .. value + 0.5}); the empty bins
 * before the first and after the last non-empty one are dropped and an empty bin is put first, whose limit is the
 * left edge of the rest (TensorBoard's buckets have only right limits). With the statistics of {@code HistogramProto}.
 *
 * @param min the smallest value
 * @param max the largest value
 * @param count the number of values
 * @param sum their sum
 * @param sumSquares the sum of their squares
 * @param bucketLimits the right edge of each bin (TensorBoard takes {@code min} as the left edge of the first)
 * @param bucketCounts the number of values in each bin
 */
record Histogram(double min, double max, double count, double sum, double sumSquares, double[] bucketLimits,
        double[] bucketCounts) {

    /**
     * The histogram of {@code values} over {@code bins} bins.
     *
     * @param values finite, at least one (the caller checks)
     */
    static Histogram of(double[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
        }
        double first = min == max ? min - 0.5 : min;
        double last = min == max ? max + 0.5 : max;
        double[] edges = linspace(first, last, bins + 1);
        double[] counts = new double[bins];
        for (double v : values) {
            counts[bin(v, edges, first, last)]++;
        }
        int start = 0;
        while (counts[start] == 0) {
            start++;
        }
        int end = bins - 1;
        while (counts[end] == 0) {
            end--;
        }
        double[] limits = Arrays.copyOfRange(edges, start, end + 2);
        double[] kept = new double[limits.length];
        System.arraycopy(counts, start, kept, 1, end - start + 1);
        return new Histogram(min, max, values.length, sum, sumSquares, limits, kept);
    }

    /** {@code numpy.linspace(start, stop, n)}: {@code start + i * step}, the last edge exactly {@code stop}. */
    private static double[] linspace(double start, double stop, int n) {
        double step = (stop - start) / (n - 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i * step + start;
        }
        out[n - 1] = stop;
        return out;
    }

    /** The bin of {@code v} as numpy computes it: scaled, truncated, then corrected against the edges. */
    private static int bin(double v, double[] edges, double first, double last) {
        int bins = edges.length - 1;
        int i = (int) ((v - first) / (last - first) * bins);
        if (i == bins) {
            i--;
        }
        if (v < edges[i]) {
            i--;
        } else if (i != bins - 1 && v >= edges[i + 1]) {
            i++;
        }
        return i;
    }
}
