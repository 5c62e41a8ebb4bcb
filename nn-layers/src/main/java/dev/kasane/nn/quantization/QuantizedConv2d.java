package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.PadMode;
import java.util.stream.IntStream;

/**
 * An int8 {@link Conv2d} (see {@link QuantizedLayer}): the quantized input is unfolded into an int8 [in k k, positions]
 * matrix (im2col, the padding filled with the byte that stands for 0.0) and multiplied by the [out, in k k] weight.
 * Zero padding, any stride and dilation, one group.
 */
public final class QuantizedConv2d extends QuantizedLayer {
    private final int inChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] dilation;
    private final int[] padding;

    /**
     * Quantizes {@code conv}'s weight with {@code weightParams}; inputs will be quantized with {@code inputParams}.
     *
     * @param relu whether a ReLU that followed the layer is fused into it
     * @throws IllegalArgumentException if the convolution has groups or pads other than with zeros
     */
    public QuantizedConv2d(Conv2d conv, QParams inputParams, QParams weightParams, boolean relu) {
        super(conv.weight(), conv.bias(), inputParams, weightParams, relu);
        if (conv.groups() != 1 || conv.padMode() != PadMode.CONSTANT) {
            throw new IllegalArgumentException("QuantizedConv2d: " + conv + " has groups " + conv.groups() + " and padding mode "
                    + conv.padMode() + "; only one group with zero padding is supported");
        }
        this.inChannels = conv.inChannels();
        this.kernel = conv.kernelSize();
        this.stride = conv.stride();
        this.dilation = conv.dilation();
        this.padding = conv.padding().resolve("QuantizedConv2d", kernel, dilation);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, " + inChannels + ", H, W)", 4);
        requireSize(input, 1, inChannels, "channels", "(N, " + inChannels + ", H, W)");
        int n = input.size(0);
        int h = input.size(2);
        int w = input.size(3);
        int oh = (h + padding[0] + padding[1] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
        int ow = (w + padding[2] + padding[3] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        if (oh <= 0 || ow <= 0) {
            throw error("input " + input.describe() + " is smaller than the kernel");
        }
        byte[] x = quantizeInput(input);
        int k = inChannels * kernel[0] * kernel[1];
        int plane = oh * ow;
        int rows = n * plane;
        byte[] cols = new byte[rows * k];
        java.util.Arrays.fill(cols, shiftedInputZero());
        IntStream.range(0, k).parallel().forEach(tap -> {
            int c = tap / (kernel[0] * kernel[1]);
            int ky = tap / kernel[1] % kernel[0];
            int kx = tap % kernel[1];
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < oh; y++) {
                    int iy = y * stride[0] - padding[0] + ky * dilation[0];
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    int src = ((b * inChannels + c) * h + iy) * w;
                    int dst = tap * rows + (b * oh + y) * ow;
                    for (int xo = 0; xo < ow; xo++) {
                        int ix = xo * stride[1] - padding[2] + kx * dilation[1];
                        if (ix >= 0 && ix < w) {
                            cols[dst + xo] = x[src + ix];
                        }
                    }
                }
            }
        });
        float[] y = multiplyAndRequantize(cols, rows, k, plane);
        return Tensor.fromHost(y, DType.F32, input.device(), n, outFeatures(), oh, ow).toType(input.dtype());
    }
}
