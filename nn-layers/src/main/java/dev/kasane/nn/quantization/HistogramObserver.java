package dev.kasane.nn.quantization;

/**
 * PyTorch's {@code torch.ao.quantization.HistogramObserver}: a per-tensor histogram of {@value #BINS} bins over the
 * range seen so far, whose parameters come from the range that minimises the L2 error of quantizing the histogram
 * to 256 levels ({@code _non_linear_param_search}), so that outliers are clipped only where that lowers the error.
 *
 * <p>The first batch (or any batch while the range is a single value) sets the range to its minimum and maximum
 * and the histogram to its counts. A later batch widens the range to cover both; the maximum is then stretched
 * so that the new bin width is a whole multiple ({@code downsample_rate}) of the old bin width divided by
 * {@value #UPSAMPLE_RATE}; the old histogram is spread evenly over that fine grid ({@code repeat_interleave}),
 * summed back into the new bins, and added to the batch's counts. The search walks the two ends of the range
 * inwards in quantile steps of 1e-5, each step moving the end that passes more bins, and stops when the error
 * grows; the error of a range assumes a uniform density inside each bin.
 *
 * <p>The arithmetic is PyTorch 1.13's, in float32 where PyTorch computes on float32 tensors and in double where it
 * computes on Python floats, with one deliberate difference: PyTorch 1.13 passes {@code int(min)} and
 * {@code int(max)} to {@code torch.histc}, dropping the values outside the truncated range (pytorch/pytorch#83672,
 * a bug fixed in later releases); this observer bins over the true range. Where that truncation changes nothing
 * (integer ends), its parameters equal PyTorch 1.13's exactly (see HistogramObserverTest).
 */
public final class HistogramObserver extends Observer {
    /** The number of histogram bins (PyTorch's default). */
    public static final int BINS = 2048;
    /** How finely the old histogram is spread when the range widens (PyTorch's default {@code upsample_rate}). */
    public static final int UPSAMPLE_RATE = 128;
    /** The number of quantization levels the search assumes ({@code 2 ** 8}). */
    private static final int LEVELS = 256;

    private float[] histogram = new float[BINS];

    /**
     * A per-tensor observer.
     *
     * @throws IllegalArgumentException if {@code scheme} is per channel
     */
    public HistogramObserver(QuantDtype dtype, QScheme scheme) {
        super(dtype, scheme, 0);
        if (scheme.isPerChannel()) {
            throw new IllegalArgumentException("HistogramObserver: only per-tensor schemes, got " + scheme);
        }
    }

    /** The histogram's counts over {@code [min(), max()]} (a copy; all zero before the first batch). */
    public float[] histogram() {
        return histogram.clone();
    }

    @Override
    protected void update(float[] values, float[] lo, float[] hi) {
        if (!hasObserved() || min()[0] == max()[0]) {
            setRange(lo, hi);
            histogram = histc(values, lo[0], hi[0]);
            return;
        }
        float minVal = min()[0];
        float maxVal = max()[0];
        float combinedMin = Math.min(lo[0], minVal);
        float combinedMax = Math.max(hi[0], maxVal);
        // _adjust_min_max: the new bin width is downsample_rate fine bins of the old histogram
        float fineWidth = (maxVal - minVal) / (float) (BINS * UPSAMPLE_RATE);
        float coarseWidth = BINS * fineWidth;
        int downsampleRate = (int) Math.ceil((combinedMax - combinedMin) / coarseWidth);
        float stretch = downsampleRate * coarseWidth - (combinedMax - combinedMin);
        combinedMax = combinedMax + stretch;
        int startIdx = (int) Math.rint((minVal - combinedMin) / fineWidth);
        float[] combined = histc(values, combinedMin, combinedMax);
        if (combinedMin == minVal && combinedMax == maxVal) {
            for (int b = 0; b < BINS; b++) {
                combined[b] += histogram[b];
            }
        } else {
            addResampled(combined, histogram, downsampleRate, startIdx);
        }
        histogram = combined;
        setRange(new float[] {combinedMin}, new float[] {combinedMax});
    }

    /**
     * {@code _combine_histograms}: {@code old} spread over {@code UPSAMPLE_RATE} fine bins each, starting at fine bin
     * {@code start}, and summed (in double, as PyTorch's cumulative sum) over each {@code downsample} fine bins into
     * {@code into}.
     */
    private static void addResampled(float[] into, float[] old, int downsample, int start) {
        long fineBins = (long) BINS * downsample;
        long end = Math.min(start + (long) BINS * UPSAMPLE_RATE, fineBins);
        double[] integral = new double[BINS];
        double cumulative = 0;
        int next = 0;
        for (long t = Math.max(start, 0); t < end; t++) {
            while (next < BINS && (long) next * downsample + downsample - 1 < t) {
                integral[next++] = cumulative;
            }
            cumulative += old[(int) ((t - start) / UPSAMPLE_RATE)];
            if (next < BINS && (long) next * downsample + downsample - 1 == t) {
                integral[next++] = cumulative;
            }
        }
        while (next < BINS) {
            integral[next++] = cumulative;
        }
        float previous = 0;
        for (int j = 0; j < BINS; j++) {
            into[j] += (float) ((integral[j] - previous) / UPSAMPLE_RATE);
            previous = (float) integral[j];
        }
    }

    /**
     * {@code torch.histc(values, BINS, min=lo, max=hi)} on the CPU: the bin is
     * {@code (int) ((v - lo) * BINS / (hi - lo))} in float32, the top edge falls into the last bin, values outside
     * {@code [lo, hi]} are not counted, and a single-value range is widened by 1 on each side.
     */
    private static float[] histc(float[] values, float lo, float hi) {
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        float[] counts = new float[BINS];
        float width = hi - lo;
        for (float v : values) {
            if (v >= lo && v <= hi) {
                int bin = (int) ((v - lo) * (float) BINS / width);
                counts[Math.min(bin, BINS - 1)]++;
            }
        }
        return counts;
    }

    /** The parameters of the range of least L2 quantization error. */
    @Override
    public QParams qparams() {
        if (!hasObserved()) {
            throw new IllegalStateException("HistogramObserver.qparams: no tensor has been observed yet");
        }
        return calculate(new float[] {searchedBound(true)}, new float[] {searchedBound(false)});
    }

    /** The lower ({@code lower}) or upper end of the range {@code _non_linear_param_search} chooses. */
    private float searchedBound(boolean lower) {
        int[] bins = nonLinearParamSearch();
        float minVal = min()[0];
        float binWidth = (max()[0] - minVal) / BINS;
        return lower ? minVal + binWidth * bins[0] : minVal + binWidth * (bins[1] + 1);
    }

    /** The first and last histogram bin of the chosen range. */
    private int[] nonLinearParamSearch() {
        double totalSum = 0;
        float[] cumSum = new float[BINS];
        for (int b = 0; b < BINS; b++) {
            totalSum += histogram[b];
            cumSum[b] = (float) totalSum;
        }
        double total = (float) totalSum;
        double stepSize = 1e-5;
        double alpha = 0;
        double beta = 1;
        int startBin = 0;
        int endBin = BINS - 1;
        double normMin = Double.POSITIVE_INFINITY;
        while (alpha < beta) {
            double nextAlpha = alpha + stepSize;
            double nextBeta = beta - stepSize;
            int l = startBin;
            int r = endBin;
            float lowQuantile = (float) (nextAlpha * total);
            float highQuantile = (float) (nextBeta * total);
            while (l < endBin && cumSum[l] < lowQuantile) {
                l++;
            }
            while (r > startBin && cumSum[r] > highQuantile) {
                r--;
            }
            int nextStartBin = startBin;
            int nextEndBin = endBin;
            if (l - startBin > endBin - r) {
                nextStartBin = l;
                alpha = nextAlpha;
            } else {
                nextEndBin = r;
                beta = nextBeta;
            }
            if (nextStartBin == startBin && nextEndBin == endBin) {
                continue;
            }
            double norm = quantizationError(nextStartBin, nextEndBin);
            if (norm > normMin) {
                break;
            }
            normMin = norm;
            startBin = nextStartBin;
            endBin = nextEndBin;
        }
        return new int[] {startBin, endBin};
    }

    /**
     * {@code _compute_quantization_error}: the L2 error of quantizing the histogram to {@value #LEVELS} levels over
     * bins {@code [startBin, endBin]}, each bin's count spread uniformly over it.
     */
    private double quantizationError(int startBin, int endBin) {
        double binWidth = ((double) max()[0] - min()[0]) / BINS;
        double dstBinWidth = binWidth * (endBin - startBin + 1) / LEVELS;
        if (dstBinWidth == 0.0) {
            return 0.0;
        }
        float width = (float) binWidth;
        float dstWidth = (float) dstBinWidth;
        float half = (float) (dstBinWidth / 2);
        float negHalf = (float) (-dstBinWidth / 2);
        float fullBin = cube(half, negHalf);
        double sum = 0;
        for (int b = 0; b < BINS; b++) {
            float begin = (float) (b - startBin) * width;
            float end = begin + width;
            float dstOfBegin = clampLevel(floorDivide(begin, dstWidth));
            float dstOfEnd = clampLevel(floorDivide(end, dstWidth));
            float density = histogram[b] / width;
            float dstOfBeginCenter = (dstOfBegin + 0.5f) * dstWidth;
            float dstOfEndCenter = dstOfEnd * dstWidth + half;
            float norm = density * cube(half, begin - dstOfBeginCenter);
            norm += (dstOfEnd - dstOfBegin - 1) * (density * fullBin);
            norm += density * cube(end - dstOfEndCenter, negHalf);
            sum += norm;
        }
        return (float) sum;
    }

    /** {@code (end^3 - begin^3) / 3} in float32, PyTorch's {@code _get_norm} without the density. */
    private static float cube(float end, float begin) {
        return (end * end * end - begin * begin * begin) / 3;
    }

    private static float clampLevel(float level) {
        return Math.max(0, Math.min(LEVELS - 1, level));
    }

    /** PyTorch's float floor division ({@code torch.div(a, b, rounding_mode='floor')}, {@code div_floor_floating}). */
    private static float floorDivide(float a, float b) {
        float mod = a % b;
        float div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0f, a / b);
        }
        float floor = (float) Math.floor(div);
        return div - floor > 0.5f ? floor + 1 : floor;
    }
}
