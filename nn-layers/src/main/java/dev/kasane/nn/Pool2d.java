package dev.kasane.nn;

/**
 * The window of a 2-D pooling layer ({@link AvgPool2d}, {@link MaxPool2d}): kernel, stride and padding, each as
 * {height, width} and checked, and the ceil mode.
 */
abstract class Pool2d extends Module {
    final int[] kernel;
    final int[] stride;
    final int[] padding;
    final boolean ceilMode;

    /**
     * @param layer the layer's name for errors ("MaxPool2d")
     * @throws IllegalArgumentException if the kernel or stride is not positive or the padding is negative
     */
    Pool2d(String layer, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        this.kernel = Layers.positive(layer, "kernel_size", kernel);
        this.stride = Layers.positive(layer, "stride", stride);
        this.padding = Layers.nonNegative(layer, "padding", padding);
        this.ceilMode = ceilMode;
    }

    /** {@code kernel_size=(kh, kw), stride=(sh, sw), padding=(ph, pw)}, the start of PyTorch's extra repr. */
    final String windowRepr() {
        return "kernel_size=" + Layers.tuple(kernel) + ", stride=" + Layers.tuple(stride) + ", padding=" + Layers.tuple(padding);
    }
}
