package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.PoolResult;

/** 2-D max pooling of [N, C, H, W] or [C, H, W]; {@link #forwardWithIndices} also returns the arg-max indices. */
public class MaxPool2d extends Pool2d {
    private final int[] dilation;

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
        super("MaxPool2d", kernel, stride, padding, ceilMode);
        this.dilation = Layers.positive("MaxPool2d", "dilation", dilation);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** The pooled values and the flat {@code h * W + w} index of each maximum. */
    public PoolResult forwardWithIndices(Tensor input) {
        requireRank(input, Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
        return F.maxPool2dWithIndices(input, kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return windowRepr() + ", dilation=" + Layers.tuple(dilation) + ", ceil_mode=" + ceilMode;
    }
}
