package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Average pooling of [N, C, H, W] to a fixed output size (1 x 1: global average pooling). */
public class AdaptiveAvgPool2d extends FunctionLayer {
    /** Square output. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /** {@code outH x outW} output. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        super(x -> F.adaptiveAvgPool2d(x, outH, outW),
                "output_size=" + Layers.tuple(Layers.positive("AdaptiveAvgPool2d", "output_size", new int[] {outH, outW})),
                Layers.IMAGE_LAYOUT, Layers.IMAGE_RANKS);
    }
}
