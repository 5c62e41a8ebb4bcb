package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Max pooling of [N, C, H, W] to a fixed output size. */
public class AdaptiveMaxPool2d extends FunctionLayer {
    /** Square output. */
    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /** {@code outH x outW} output. */
    public AdaptiveMaxPool2d(int outH, int outW) {
        super(x -> F.adaptiveMaxPool2d(x, outH, outW),
                "output_size=" + Layers.tuple(Layers.positive("AdaptiveMaxPool2d", "output_size", new int[] {outH, outW})),
                Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
    }
}
