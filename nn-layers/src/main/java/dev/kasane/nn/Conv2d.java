package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.PadMode;

/**
 * 2-D convolution of [N, C, H, W] with {@code weight} [out, in/groups, kH, kW] and {@code bias} [out]. Padding is
 * explicit, {@link Padding#SAME} or {@link Padding#VALID}, filled with zeros or by a {@link PadMode}
 * (PyTorch's {@code padding_mode}: zeros, reflect, replicate, circular).
 */
public class Conv2d extends AbstractConv {
    private final Padding padding;
    private final PadMode padMode;

    /** Stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** Square kernel, stride and zero padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true);
    }

    /** Square kernel, stride and zero padding, with or without bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, Padding.of(padding),
                new int[] {1, 1}, 1, bias, PadMode.CONSTANT);
    }

    /**
     * Every option.
     *
     * @param kernel   {kH, kW}
     * @param stride   {sH, sW}
     * @param dilation {dH, dW}
     * @param padMode  CONSTANT for zero padding (PyTorch's "zeros"), or REFLECT, REPLICATE, CIRCULAR
     */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, Padding padding, int[] dilation, int groups,
                  boolean bias, PadMode padMode) {
        super(inChannels, outChannels, kernel, stride, dilation, groups, bias, false);
        this.padding = padding;
        this.padMode = padMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        return F.conv2d(input, weight(), bias(), stride, padding, dilation, groups, padMode);
    }

    /** The padding. */
    public Padding padding() {
        return padding;
    }

    /** How the border is padded (CONSTANT is PyTorch's "zeros"). */
    public PadMode padMode() {
        return padMode;
    }

    @Override
    protected String paddingRepr() {
        String d = padding.describe(2);
        String p = d.isEmpty() ? "" : "padding=" + d;
        return padMode == PadMode.CONSTANT ? p : p + (p.isEmpty() ? "" : ", ") + "padding_mode=" + padMode.name().toLowerCase();
    }
}
