package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/** Max pooling of [N, C, H, W] to a fixed output size. */
public class AdaptiveMaxPool2d extends Module {
    private final int outH;
    private final int outW;

    /** Square output. */
    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    /** {@code outH x outW} output. */
    public AdaptiveMaxPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, C, H, W) or (C, H, W)", 3, 4);
        return F.adaptiveMaxPool2d(input, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + Layers.tuple(outH, outW);
    }
}
