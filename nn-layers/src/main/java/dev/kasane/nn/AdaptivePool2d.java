package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/** What {@link AdaptiveAvgPool2d} and {@link AdaptiveMaxPool2d} share: the output size, checked and printed. */
abstract class AdaptivePool2d extends FunctionLayer {
    /** A pooling function of {@code [N, C, H, W]} to {@code outH x outW}, as {@code F.adaptiveAvgPool2d}. */
    @FunctionalInterface
    interface Pooling {
        /** {@code x} pooled to {@code outH x outW}. */
        Tensor pool(Tensor x, int outH, int outW);
    }

    /**
     * @param name the layer, for errors
     * @param pooling the pooling function
     * @throws IllegalArgumentException if {@code outH} or {@code outW} is not positive
     */
    AdaptivePool2d(String name, Pooling pooling, int outH, int outW) {
        super(x -> pooling.pool(x, outH, outW),
                "output_size=" + Layers.tuple(Layers.positive(name, "output_size", new int[] {outH, outW})),
                Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
    }
}
