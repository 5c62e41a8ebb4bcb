package dev.kasane.nn.quantization;

/**
 * A per-tensor histogram of everything observed whose parameters clip the range to two percentiles, so that a few
 * outliers do not stretch the scale. The histogram has {@value #BINS} equal bins over the range seen so far; when a
 * batch widens the range, each old bin's count moves to the new bin holding its centre. A percentile is read off the
 * cumulative counts, interpolating linearly inside a bin, so it is exact to within one bin width. (PyTorch's
 * {@code HistogramObserver} searches for the range of least L2 error instead; this clipping rule is TensorRT's.)
 */
public final class PercentileObserver extends Observer {
    /** The number of histogram bins. */
    public static final int BINS = 2048;

    private final double lowerPercentile;
    private final double upperPercentile;
    private double[] counts = new double[BINS];

    /**
     * An observer keeping the values between the {@code lowerPercentile} and {@code upperPercentile} percentiles
     * (e.g. 0.01 and 99.99).
     *
     * @throws IllegalArgumentException unless {@code 0 <= lowerPercentile < upperPercentile <= 100} and the scheme
     *     is per tensor
     */
    public PercentileObserver(QuantDtype dtype, QScheme scheme, double lowerPercentile, double upperPercentile) {
        super(dtype, scheme, 0);
        if (scheme.isPerChannel()) {
            throw new IllegalArgumentException("PercentileObserver: only per-tensor schemes, got " + scheme);
        }
        if (!(lowerPercentile >= 0 && lowerPercentile < upperPercentile && upperPercentile <= 100)) {
            throw new IllegalArgumentException("PercentileObserver: need 0 <= lower < upper <= 100, got " + lowerPercentile
                    + " and " + upperPercentile);
        }
        this.lowerPercentile = lowerPercentile;
        this.upperPercentile = upperPercentile;
    }

    @Override
    protected void update(float[] values, float[] lo, float[] hi) {
        if (hasObserved()) {
            float oldLo = min()[0];
            float oldHi = max()[0];
            lo[0] = Math.min(lo[0], oldLo);
            hi[0] = Math.max(hi[0], oldHi);
            if (lo[0] != oldLo || hi[0] != oldHi) {
                double[] moved = new double[BINS];
                double width = ((double) oldHi - oldLo) / BINS;
                for (int b = 0; b < BINS; b++) {
                    moved[bin(oldLo + (b + 0.5) * width, lo[0], hi[0])] += counts[b];
                }
                counts = moved;
            }
        }
        setRange(lo, hi);
        for (float v : values) {
            counts[bin(v, lo[0], hi[0])]++;
        }
    }

    private static int bin(double v, double lo, double hi) {
        if (hi <= lo) {
            return 0;
        }
        return (int) Math.max(0, Math.min(BINS - 1, Math.floor((v - lo) / (hi - lo) * BINS)));
    }

    /** The value below which {@code percentile} percent of the observed values lie (to within one bin). */
    public float percentile(double percentile) {
        if (!hasObserved()) {
            throw new IllegalStateException("PercentileObserver.percentile: no tensor has been observed yet");
        }
        double lo = min()[0];
        double hi = max()[0];
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double want = percentile / 100 * total;
        double width = (hi - lo) / BINS;
        double seen = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0 && seen + counts[b] >= want) {
                return (float) (lo + width * (b + (want - seen) / counts[b]));
            }
            seen += counts[b];
        }
        return (float) hi;
    }

    /** The parameters for the range between the two percentiles. */
    @Override
    public QParams qparams() {
        if (!hasObserved()) {
            throw new IllegalStateException("PercentileObserver.qparams: no tensor has been observed yet");
        }
        return calculate(new float[] {percentile(lowerPercentile)}, new float[] {percentile(upperPercentile)});
    }
}
