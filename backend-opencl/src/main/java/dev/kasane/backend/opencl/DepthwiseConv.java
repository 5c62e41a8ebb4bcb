package dev.kasane.backend.opencl;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.NDArray;

/**
 * Depthwise convolutions ({@code groups = C}, one input channel per group) on the device: the direct kernels of
 * {@code conv.cl}, one work item per output element, for the three passes. Other convolutions take {@link GemmConv}
 * (im2col + GEMM), whose GEMMs would be only {@code kH * kW} deep here.
 */
final class DepthwiseConv {
    private DepthwiseConv() {
    }

    /** Whether a convolution of {@code c} input channels with weight {@code [o, cg, kh, kw]} is depthwise. */
    static boolean fits(int c, NDArray weight, Conv2dSpec spec) {
        return weight.size(1) == 1 && spec.groups() == c && c > 1;
    }

    /** The forward pass into {@code dst} if the convolution is depthwise; false (nothing done) otherwise. */
    static boolean forward(NDArray x, NDArray w, Conv2dSpec spec, NDArray dst) {
        return fits(x.size(1), w, spec)
                && run("conv2d", "depthwise_forward", x, w, geo(x.shape(), w, dst.size(2), dst.size(3), spec), dst);
    }

    /** The input gradient into {@code dst} if the convolution is depthwise; false (nothing done) otherwise. */
    static boolean inputGrad(NDArray go, NDArray w, Conv2dSpec spec, NDArray dst) {
        return fits(dst.size(1), w, spec)
                && run("conv2dInputGrad", "depthwise_input_grad", go, w, geo(dst.shape(), w, go.size(2), go.size(3), spec), dst);
    }

    /** The weight gradient into {@code dst} if the convolution is depthwise; false (nothing done) otherwise. */
    static boolean weightGrad(NDArray x, NDArray go, Conv2dSpec spec, NDArray dst) {
        return fits(x.size(1), dst, spec)
                && run("conv2dWeightGrad", "depthwise_weight_grad", x, go, geo(x.shape(), dst, go.size(2), go.size(3), spec), dst);
    }

    /** N, C, H, W, O, KH, KW, OH, OW, SH, SW, PH, PW, DH, DW: the kernels' {@code ConvGeo}. */
    static int[] geo(int[] input, NDArray weight, int oh, int ow, Conv2dSpec s) {
        return new int[] {input[0], input[1], input[2], input[3], weight.size(0), weight.size(2), weight.size(3), oh, ow,
            s.strideH(), s.strideW(), s.padH(), s.padW(), s.dilationH(), s.dilationW()};
    }

    /**
     * Runs {@code kernel} over the dense copies of {@code a} and {@code b}, one work item per element of {@code dst};
     * returns true.
     */
    private static boolean run(String op, String kernel, NDArray a, NDArray b, int[] geo, NDArray dst) {
        OpenClContext ctx = OpenClBackend.context(op, a, b, dst);
        NDArray ad = a.contiguous();
        NDArray bd = b.contiguous();
        new Launch(ctx, ctx.programs.kernel(Programs.Family.CONV, dst.dtype(), kernel))
                .buf(Elementwise.storage(ad)).i32(ad.offset()).buf(Elementwise.storage(bd)).i32(bd.offset())
                .buf(Elementwise.storage(dst)).i32(dst.offset()).ints(geo).i32(dst.numel())
                .run1d(dst.numel());
        return true;
    }
}
