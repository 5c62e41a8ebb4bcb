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
        updateRange(lo, hi, Math::min, Math::max);
    }
}
