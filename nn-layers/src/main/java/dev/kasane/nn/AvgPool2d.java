package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** 2-D average pooling of [N, C, H, W] or [C, H, W]. */
public class AvgPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** Square kernel with stride equal to it. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, new int[] {kernelSize, kernelSize}, new int[] {0, 0}, false, true);
    }

    /** Every option; with {@code countIncludePad} zero padding counts in the divisor. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = Layers.positive("AvgPool2d", "kernel_size", kernel);
        this.stride = Layers.positive("AvgPool2d", "stride", stride);
        this.padding = Layers.nonNegative("AvgPool2d", "padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Layers.tuple(kernel) + ", stride=" + Layers.tuple(stride) + ", padding=" + Layers.tuple(padding)
                + ", ceil_mode=" + ceilMode + ", count_include_pad=" + countIncludePad;
    }
}
