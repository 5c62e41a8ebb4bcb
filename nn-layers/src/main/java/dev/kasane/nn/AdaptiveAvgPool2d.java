package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Average pooling of [N, C, H, W] to a fixed output size (1 x 1: global average pooling). */
public class AdaptiveAvgPool2d extends AdaptivePool2d {
    /** Square output. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /** {@code outH x outW} output. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        super("AdaptiveAvgPool2d", F::adaptiveAvgPool2d, outH, outW);
    }
}
