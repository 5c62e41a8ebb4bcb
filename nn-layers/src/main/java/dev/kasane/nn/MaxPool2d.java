package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.PoolResult;

/** 2-D max pooling of [N, C, H, W] or [C, H, W]; {@link #forwardWithIndices} also returns the arg-max indices. */
public class MaxPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** Square kernel with stride equal to it. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /** Square kernel, stride and padding. */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, false);
    }

    /** Every option, each as {height, width}. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = Layers.positive("MaxPool2d", "kernel_size", kernel);
        this.stride = Layers.positive("MaxPool2d", "stride", stride);
        this.padding = Layers.nonNegative("MaxPool2d", "padding", padding);
        this.dilation = Layers.positive("MaxPool2d", "dilation", dilation);
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forwardWithIndices(input).values();
    }

    /** The pooled values and the flat {@code h * W + w} index of each maximum. */
    public PoolResult forwardWithIndices(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.maxPool2dWithIndices(input, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Layers.tuple(kernel) + ", stride=" + Layers.tuple(stride) + ", padding=" + Layers.tuple(padding)
                + ", dilation=" + Layers.tuple(dilation) + ", ceil_mode=" + ceilMode;
    }
}
