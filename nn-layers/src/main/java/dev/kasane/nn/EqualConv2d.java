package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;

/**
 * A square-kernel 2-D convolution with StyleGAN's equalized learning rate: {@code weight} [out, in, k, k] drawn
 * N(0, 1) and used as {@code weight / sqrt(in k k)}, {@code bias} [out] zeros; zero padding.
 */
public class EqualConv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param kernel kernel size
     * @param stride stride
     * @param padding zero padding on each side
     * @param bias whether there is a bias
     */
    public EqualConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        this.inChannels = Layers.positive("EqualConv2d", "in_channels", inChannels);
        this.outChannels = Layers.positive("EqualConv2d", "out_channels", outChannels);
        this.kernel = Layers.positive("EqualConv2d", "kernel_size", kernel);
        this.stride = Layers.positive("EqualConv2d", "stride", stride);
        this.padding = Layers.nonNegative("EqualConv2d", "padding", padding);
        Init.normal(registerParameter("weight",
                Tensor.zeros(Layers.floatType(), Layers.device(), outChannels, inChannels, kernel, kernel)), 0, 1);
        if (bias) {
            registerParameter("bias", Tensor.zeros(Layers.floatType(), Layers.device(), outChannels));
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        String layout = "(N, " + inChannels + ", H, W)";
        requireRank(input, layout, 4);
        requireSize(input, 1, inChannels, "channels", layout);
        Tensor w = param("weight").mul(1 / Math.sqrt((double) inChannels * kernel * kernel));
        return F.conv2d(input, w, paramOrNull("bias"), stride, padding);
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (paramOrNull("bias") == null ? ", bias=false" : "");
    }
}
