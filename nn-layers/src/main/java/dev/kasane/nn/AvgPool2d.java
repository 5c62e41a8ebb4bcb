package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** 2-D average pooling of [N, C, H, W] or [C, H, W]. */
public class AvgPool2d extends Pool2d {
    private final boolean countIncludePad;

    /** Square kernel with stride equal to it. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, new int[] {kernelSize, kernelSize}, new int[] {0, 0}, false, true);
    }

    /** Every option; with {@code countIncludePad} zero padding counts in the divisor. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        super("AvgPool2d", kernel, stride, padding, ceilMode);
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return windowRepr() + ", ceil_mode=" + ceilMode + ", count_include_pad=" + countIncludePad;
    }
}
