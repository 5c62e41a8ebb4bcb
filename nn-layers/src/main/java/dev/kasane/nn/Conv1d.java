package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.PadMode;

/** 1-D convolution of [N, C, L] with {@code weight} [out, in/groups, k] and {@code bias} [out]. */
public class Conv1d extends AbstractConv {
    private final Padding padding;
    private final PadMode padMode;

    /** Stride 1, no padding. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, Padding.VALID, 1, 1, true, PadMode.CONSTANT);
    }

    /** Every option ({@code padMode} CONSTANT means zeros). */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, Padding padding, int dilation, int groups,
                  boolean bias, PadMode padMode) {
        super(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {dilation}, groups, bias, false);
        this.padding = padding;
        this.padMode = padMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        return F.conv1d(input, weight(), bias(), stride[0], padding, dilation[0], groups, padMode);
    }

    @Override
    protected String paddingRepr() {
        String d = padding.describe(1);
        String p = d.isEmpty() ? "" : "padding=" + d;
        return padMode == PadMode.CONSTANT ? p : p + (p.isEmpty() ? "" : ", ") + "padding_mode=" + padMode.name().toLowerCase();
    }
}
