package dev.kasane.nn.quantization;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.tensor.PadMode;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An int8 {@link Conv2d} (see {@link QuantizedLayer}): the quantized input is unfolded into an int8
 * [in k k, positions] matrix (im2col, the padding filled with the byte that stands for 0.0) and multiplied by the
 * [out, in / groups k k] weight, one product per group (a depthwise convolution has one input channel per group).
 * Any stride, dilation and number of groups; padding with zeros or, as PyTorch's quantized {@code Conv2d} does,
 * by reflection (the input is padded before it is quantized, which gives the same values). PyTorch's quantized
 * convolution refuses the replicate and circular modes, and so does this one.
 */
public final class QuantizedConv2d extends QuantizedLayer {
    private final int inChannels;
    private final int groups;
    private final int[] kernel;
    private final int[] stride;
    private final int[] dilation;
    private final int[] padding;
    private final PadMode padMode;

    /**
     * Quantizes {@code conv}'s weight with {@code weightParams}; inputs will be quantized with {@code inputParams}.
     *
     * @param relu whether a ReLU that followed the layer is fused into it
     * @throws IllegalArgumentException if the convolution pads in replicate or circular mode
     */
    public QuantizedConv2d(Conv2d conv, QParams inputParams, QParams weightParams, boolean relu) {
        super(conv.weight(), conv.bias(), inputParams, weightParams, relu);
        requireSupported("QuantizedConv2d", conv);
        this.inChannels = conv.inChannels();
        this.groups = conv.groups();
        this.kernel = conv.kernelSize();
        this.stride = conv.stride();
        this.dilation = conv.dilation();
        this.padding = conv.padding().resolve("QuantizedConv2d", kernel, dilation);
        this.padMode = conv.padMode();
    }

    /**
     * Checks that {@code conv} pads with zeros or by reflection, the modes of PyTorch's quantized convolution.
     *
     * @throws IllegalArgumentException naming {@code op}, the convolution and its mode otherwise
     */
    static void requireSupported(String op, Conv2d conv) {
        if (conv.padMode() != PadMode.CONSTANT && conv.padMode() != PadMode.REFLECT) {
            throw new IllegalArgumentException(op + ": " + conv + " pads in " + conv.padMode().name().toLowerCase()
                    + " mode; quantized convolution supports zeros and reflect padding only (as PyTorch's)");
        }
    }

    /** The number of groups. */
    public int groups() {
        return groups;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireRank(input, "(N, " + inChannels + ", H, W)", 4);
        requireSize(input, 1, inChannels, "channels", "(N, " + inChannels + ", H, W)");
        int[] pad = padding;
        if (padMode == PadMode.REFLECT) {
            input = input.pad(new int[] {pad[2], pad[3], pad[0], pad[1]}, PadMode.REFLECT, 0);
            pad = new int[4];
        }
        int n = input.size(0);
        int h = input.size(2);
        int w = input.size(3);
        int oh = (h + pad[0] + pad[1] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
        int ow = (w + pad[2] + pad[3] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
        if (oh <= 0 || ow <= 0) {
            throw error("input " + input.describe() + " is smaller than the kernel");
        }
        byte[] x = quantizeInput(input);
        int k = inChannels * kernel[0] * kernel[1];
        int rows = n * oh * ow;
        byte[] cols = new byte[rows * k];
        Unfold unfold = new Unfold(x, cols, n, h, w, oh, ow, pad[0], pad[2], rows, shiftedInputZero());
        IntStream.range(0, k).parallel().forEach(unfold::tap);
        float[] y = multiplyAndRequantize(cols, rows, k, oh * ow, groups);
        return output(y, input, n, outFeatures(), oh, ow);
    }

    /** im2col of one input into {@code cols} [k, rows], one kernel tap (row) at a time. */
    private final class Unfold {
        private final byte[] x;
        private final byte[] cols;
        private final int n;
        private final int h;
        private final int w;
        private final int oh;
        private final int ow;
        private final int top;
        private final int left;
        private final int rows;
        private final byte zero;

        Unfold(byte[] x, byte[] cols, int n, int h, int w, int oh, int ow, int top, int left, int rows, byte zero) {
            this.x = x;
            this.cols = cols;
            this.n = n;
            this.h = h;
            this.w = w;
            this.oh = oh;
            this.ow = ow;
            this.top = top;
            this.left = left;
            this.rows = rows;
            this.zero = zero;
        }

        /** Row {@code tap} = (channel, ky, kx): each output position's input byte, or the zero byte in the padding. */
        void tap(int tap) {
            int c = tap / (kernel[0] * kernel[1]);
            int ky = tap / kernel[1] % kernel[0];
            int kx = tap % kernel[1];
            int shift = kx * dilation[1] - left;
            // output columns xo whose input column xo * stride + shift lies in [0, w)
            int from = Math.min(ow, Math.max(0, ceilDiv(-shift, stride[1])));
            int to = Math.max(from, Math.min(ow, ceilDiv(w - shift, stride[1])));
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < oh; y++) {
                    int dst = tap * rows + (b * oh + y) * ow;
                    int iy = y * stride[0] - top + ky * dilation[0];
                    if (iy < 0 || iy >= h) {
                        Arrays.fill(cols, dst, dst + ow, zero);
                        continue;
                    }
                    if (from > 0) {
                        Arrays.fill(cols, dst, dst + from, zero);
                    }
                    if (to < ow) {
                        Arrays.fill(cols, dst + to, dst + ow, zero);
                    }
                    int src = ((b * inChannels + c) * h + iy) * w + shift;
                    if (stride[1] == 1) {
                        System.arraycopy(x, src + from, cols, dst + from, to - from);
                    } else {
                        for (int xo = from; xo < to; xo++) {
                            cols[dst + xo] = x[src + xo * stride[1]];
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    protected String extraRepr() {
        return "in=" + inChannels + (groups > 1 ? ", groups=" + groups : "")
                + (padMode == PadMode.REFLECT ? ", padding_mode=reflect" : "") + ", " + super.extraRepr();
    }
}
