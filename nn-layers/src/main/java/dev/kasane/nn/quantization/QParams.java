package dev.kasane.nn.quantization;

import java.util.Arrays;

/**
 * Quantization parameters: {@code q = clamp(round(x / scale) + zeroPoint, quantMin, quantMax)} and
 * {@code x = (q - zeroPoint) * scale}, with one scale and zero point per tensor ({@code axis = -1}, arrays of
 * length 1) or one per channel along {@code axis}.
 *
 * @param scale     positive scales
 * @param zeroPoint zero points, one per scale, within [quantMin, quantMax]
 * @param axis      the channel axis, or -1 for per-tensor parameters
 * @param quantMin  the smallest quantized value
 * @param quantMax  the largest quantized value
 */
public record QParams(float[] scale, int[] zeroPoint, int axis, int quantMin, int quantMax) {
    /**
     * Checks the parameters.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a scale is not positive and finite, a zero
     *     point lies outside the range, or per-tensor parameters hold more than one value
     */
    public QParams {
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
        if (scale.length != zeroPoint.length || scale.length == 0) {
            throw new IllegalArgumentException("QParams: " + scale.length + " scales and " + zeroPoint.length
                    + " zero points (need the same positive number)");
        }
        if (axis < -1 || (axis == -1 && scale.length != 1)) {
            throw new IllegalArgumentException("QParams: axis " + axis + " with " + scale.length + " scales");
        }
        if (quantMin >= quantMax) {
            throw new IllegalArgumentException("QParams: quant_min " + quantMin + " must be below quant_max " + quantMax);
        }
        for (int i = 0; i < scale.length; i++) {
            if (!(scale[i] > 0) || Float.isInfinite(scale[i])) {
                throw new IllegalArgumentException("QParams: scale " + scale[i] + " at " + i + " is not positive and finite");
            }
            if (zeroPoint[i] < quantMin || zeroPoint[i] > quantMax) {
                throw new IllegalArgumentException("QParams: zero point " + zeroPoint[i] + " at " + i + " is outside ["
                        + quantMin + ", " + quantMax + "]");
            }
        }
    }

    /** Per-tensor parameters over the full range of {@code dtype}. */
    public static QParams perTensor(float scale, int zeroPoint, QuantDtype dtype) {
        return new QParams(new float[] {scale}, new int[] {zeroPoint}, -1, dtype.min(), dtype.max());
    }

    /** Whether there is one scale per channel. */
    public boolean isPerChannel() {
        return axis >= 0;
    }

    /** The scales (a copy). */
    @Override
    public float[] scale() {
        return scale.clone();
    }

    /** The zero points (a copy). */
    @Override
    public int[] zeroPoint() {
        return zeroPoint.clone();
    }

    /** The scale of channel {@code c} (or the only one). */
    public float scaleAt(int c) {
        return scale[isPerChannel() ? c : 0];
    }

    /** The zero point of channel {@code c} (or the only one). */
    public int zeroPointAt(int c) {
        return zeroPoint[isPerChannel() ? c : 0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QParams q && Arrays.equals(scale, q.scale) && Arrays.equals(zeroPoint, q.zeroPoint)
                && axis == q.axis && quantMin == q.quantMin && quantMax == q.quantMax;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scale) + Arrays.hashCode(zeroPoint) + axis;
    }

    @Override
    public String toString() {
        return "QParams(scale=" + Arrays.toString(scale) + ", zero_point=" + Arrays.toString(zeroPoint) + ", axis=" + axis
                + ", range=[" + quantMin + ", " + quantMax + "])";
    }
}
