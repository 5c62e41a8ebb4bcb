package dev.kasane.nn.quantization;

/**
 * An exponential moving average of each batch's minimum and maximum: the first batch sets the range, then
 * {@code min += c (batch_min - min)} ({@code MovingAverageMinMaxObserver}, and
 * {@code MovingAveragePerChannelMinMaxObserver} with a per-channel scheme; PyTorch's default {@code c} is 0.01).
 */
public final class MovingAverageMinMaxObserver extends Observer {
    private final float averagingConstant;

    /**
     * An observer; {@code axis} is the channel axis of a per-channel scheme.
     *
     * @throws IllegalArgumentException if {@code averagingConstant} is outside (0, 1]
     */
    public MovingAverageMinMaxObserver(QuantDtype dtype, QScheme scheme, int axis, double averagingConstant) {
        super(dtype, scheme, axis);
        if (!(averagingConstant > 0 && averagingConstant <= 1)) {
            throw new IllegalArgumentException("MovingAverageMinMaxObserver: averaging constant must be in (0, 1], got "
                    + averagingConstant);
        }
        this.averagingConstant = (float) averagingConstant;
    }

    @Override
    protected void update(float[] values, float[] lo, float[] hi) {
        BoundUpdate average = (sofar, batch) -> sofar + averagingConstant * (batch - sofar);
        updateRange(lo, hi, average, average);
    }
}
