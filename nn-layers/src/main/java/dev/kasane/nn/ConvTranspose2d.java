package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * 2-D transposed convolution ("deconvolution") of [N, in, H, W] with {@code weight} [in, out/groups, kH, kW] and
 * {@code bias} [out]: output size {@code (H - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}.
 */
public class ConvTranspose2d extends AbstractConv {
    private final int[] padding;
    private final int[] outputPadding;

    /** Square kernel, stride and padding, with bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true);
    }

    /** Square kernel, stride and padding, with or without bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, repeat(kernelSize, 2), repeat(stride, 2), repeat(padding, 2), repeat(0, 2), 1, bias,
                repeat(1, 2));
    }

    /** Every option, each as {height, width}. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation) {
        super(inChannels, outChannels, kernel, stride, dilation, groups, bias, true);
        this.padding = Layers.nonNegative("ConvTranspose2d", "padding", padding);
        this.outputPadding = Layers.nonNegative("ConvTranspose2d", "output_padding", outputPadding);
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        return F.convTranspose2d(input, weight(), bias(), stride, padding, outputPadding, groups, dilation);
    }

    /**
     * The transposed convolution with the output padding chosen so the output is {@code outH x outW} (PyTorch's
     * {@code output_size} argument, which resolves the ambiguity of strided convolutions).
     */
    public Tensor forward(Tensor input, int outH, int outW) {
        checkInput(input);
        int[] size = {outH, outW};
        int[] extra = new int[2];
        for (int i = 0; i < 2; i++) {
            int min = (input.size(2 + i) - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + 1;
            extra[i] = size[i] - min;
            if (extra[i] < 0 || extra[i] >= stride[i]) {
                throw error("requested output size " + outH + " x " + outW + " is not reachable from input "
                        + java.util.Arrays.toString(input.shape()) + ": each size must be in [" + min + ", " + (min + stride[i] - 1)
                        + "] along " + (i == 0 ? "height" : "width"));
            }
        }
        return F.convTranspose2d(input, weight(), bias(), stride, padding, extra, groups, dilation);
    }

    @Override
    protected String paddingRepr() {
        String p = padding[0] == 0 && padding[1] == 0 ? "" : "padding=" + Layers.tuple(padding);
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            p += (p.isEmpty() ? "" : ", ") + "output_padding=" + Layers.tuple(outputPadding);
        }
        return p;
    }
}
