package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Watches the tensors passed to {@link #observe} and turns the range it saw into {@link QParams}, with the
 * arithmetic of PyTorch's {@code torch.ao.quantization} observers ({@code _calculate_qparams}, in float32):
 * symmetric schemes take {@code scale = max(-min, max) / ((quant_max - quant_min) / 2)} and zero point 0 (QINT8)
 * or 128 (QUINT8); affine ones {@code scale = (max - min) / (quant_max - quant_min)} and
 * {@code zero_point = quant_min - round(min / scale)}, clamped to the range, where the range always includes 0 and
 * the scale is at least float32's epsilon. Per-channel observers keep one range per index of {@code axis}.
 * Subclasses decide how batches combine into the range.
 */
public abstract class Observer {
    private static final float EPS = Math.ulp(1.0f);

    private final QuantDtype dtype;
    private final QScheme scheme;
    private final int axis;
    /** The current range per channel (one entry when per tensor); null before the first batch. */
    private float[] min;
    private float[] max;

    /**
     * An observer for {@code dtype} values with {@code scheme}; {@code axis} is the channel axis of per-channel
     * schemes and ignored by per-tensor ones.
     */
    protected Observer(QuantDtype dtype, QScheme scheme, int axis) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        if (scheme.isPerChannel() && axis < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": per-channel axis must be >= 0, got " + axis);
        }
        this.axis = scheme.isPerChannel() ? axis : -1;
    }

    /** Records the range of {@code x} (its values, not its graph); returns {@code x}. */
    public final Tensor observe(Tensor x) {
        Objects.requireNonNull(x, "observe: x");
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".observe: expected a floating tensor, got "
                    + x.describe());
        }
        if (axis >= x.dim()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".observe: channel axis " + axis
                    + " is out of range for " + x.describe());
        }
        if (x.numel() == 0) {
            return x;
        }
        float[] v = x.detach().toFloatArray();
        int channels = axis < 0 ? 1 : x.size(axis);
        int inner = 1;
        for (int d = axis + 1; d < x.dim() && axis >= 0; d++) {
            inner *= x.size(d);
        }
        float[] lo = new float[channels];
        float[] hi = new float[channels];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < v.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            lo[c] = Math.min(lo[c], v[i]);
            hi[c] = Math.max(hi[c], v[i]);
        }
        if (min != null && min.length != channels) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".observe: saw " + min.length
                    + " channels before, now " + x.describe());
        }
        update(v, lo, hi);
        return x;
    }

    /**
     * Combines one batch into the range.
     *
     * @param values the batch's values, row-major
     * @param lo     its minimum per channel
     * @param hi     its maximum per channel
     */
    protected abstract void update(float[] values, float[] lo, float[] hi);

    /** How a bound of the range so far and the same bound of a new batch combine (per channel, in float32). */
    @FunctionalInterface
    protected interface BoundUpdate {
        /** The new bound from the one so far and the batch's. */
        float apply(float sofar, float batch);
    }

    /**
     * Sets the range per channel to the batch's {@code [lo, hi]} at the first batch, afterwards to
     * {@code [lower(min, lo), upper(max, hi)]}.
     */
    protected final void updateRange(float[] lo, float[] hi, BoundUpdate lower, BoundUpdate upper) {
        if (min != null) {
            for (int c = 0; c < lo.length; c++) {
                lo[c] = lower.apply(min[c], lo[c]);
                hi[c] = upper.apply(max[c], hi[c]);
            }
        }
        setRange(lo, hi);
    }

    /** Sets the range per channel. */
    protected final void setRange(float[] lo, float[] hi) {
        min = lo.clone();
        max = hi.clone();
    }

    /** Whether a batch has been observed. */
    public final boolean hasObserved() {
        return min != null;
    }

    /** The observed minimum per channel (one entry per tensor); null before the first batch. */
    public final float[] min() {
        return min == null ? null : min.clone();
    }

    /** The observed maximum per channel; null before the first batch. */
    public final float[] max() {
        return max == null ? null : max.clone();
    }

    /** The dtype the parameters are for. */
    public final QuantDtype dtype() {
        return dtype;
    }

    /** The scheme. */
    public final QScheme scheme() {
        return scheme;
    }

    /**
     * The scale and zero point for the range seen so far.
     *
     * @throws IllegalStateException if nothing has been observed
     */
    public QParams qparams() {
        if (min == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".qparams: no tensor has been observed yet");
        }
        return calculate(min, max);
    }

    /** {@code _calculate_qparams} of PyTorch's {@code UniformQuantizationObserverBase}, in float32. */
    protected final QParams calculate(float[] lo, float[] hi) {
        int qmin = dtype.min();
        int qmax = dtype.max();
        float[] scale = new float[lo.length];
        int[] zeroPoint = new int[lo.length];
        for (int c = 0; c < lo.length; c++) {
            float minNeg = Math.min(lo[c], 0f);
            float maxPos = Math.max(hi[c], 0f);
            if (scheme.isSymmetric()) {
                maxPos = Math.max(-minNeg, maxPos);
                scale[c] = Math.max(maxPos / ((float) (qmax - qmin) / 2), EPS);
                zeroPoint[c] = dtype == QuantDtype.QUINT8 ? 128 : 0;
            } else {
                scale[c] = Math.max((maxPos - minNeg) / (float) (qmax - qmin), EPS);
                int zp = qmin - (int) Math.rint(minNeg / scale[c]);
                zeroPoint[c] = Math.max(qmin, Math.min(qmax, zp));
            }
        }
        return new QParams(scale, zeroPoint, axis, qmin, qmax);
    }
}
