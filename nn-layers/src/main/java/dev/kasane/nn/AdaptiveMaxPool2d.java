package dev.kasane.nn;

import dev.kasane.nn.functional.F;

/** Max pooling of [N, C, H, W] to a fixed output size. */
public class AdaptiveMaxPool2d extends AdaptivePool2d {
    /** Square output. */
    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /** {@code outH x outW} output. */
    public AdaptiveMaxPool2d(int outH, int outW) {
        super("AdaptiveMaxPool2d", F::adaptiveMaxPool2d, outH, outW);
    }
}
