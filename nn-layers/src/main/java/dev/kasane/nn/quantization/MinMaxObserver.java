package dev.kasane.nn.quantization;

/**
 * The running minimum and maximum of everything observed ({@code MinMaxObserver}, and
 * {@code PerChannelMinMaxObserver} with a per-channel scheme).
 */
public final class MinMaxObserver extends Observer {
    /** A per-tensor observer. */
    public MinMaxObserver(QuantDtype dtype, QScheme scheme) {
        this(dtype, scheme, 0);
    }

    /** An observer; {@code axis} is the channel axis of a per-channel scheme. */
    public MinMaxObserver(QuantDtype dtype, QScheme scheme, int axis) {
        super(dtype, scheme, axis);
    }

    @Override
    protected void update(float[] values, float[] lo, float[] hi) {
        if (hasObserved()) {
            float[] min = min();
            float[] max = max();
            for (int c = 0; c < lo.length; c++) {
                lo[c] = Math.min(lo[c], min[c]);
                hi[c] = Math.max(hi[c], max[c]);
            }
        }
        setRange(lo, hi);
    }
}
