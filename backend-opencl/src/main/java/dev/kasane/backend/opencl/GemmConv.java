package dev.kasane.backend.opencl;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.NDArray;

/**
 * Convolutions that are not depthwise, lowered to the device's GEMM ({@link Gemm}) by the im2col and col2im kernels
 * of {@code conv.cl}: the same products, in the same order, as the SPI's composed defaults, without their padded
 * copies, strided six-dimensional copies and per-tap additions (one kernel each instead). Forward: im2col rows
 * {@code [N * G, CG * kH * kW, OH * OW]}, then one batched GEMM with the weight. Input gradient: the GEMM
 * {@code W^T gradOut}, then col2im into the result. Weight gradient: the transposed im2col
 * {@code [G, N * OH * OW, CG * kH * kW]} (rows contiguous, as the blocked GEMM wants its B), then one GEMM per group.
 * The temporaries' device buffers are freed as soon as their kernels are enqueued, not when the garbage collector
 * finds them (they are the size of the input times kH * kW).
 */
final class GemmConv {
    private GemmConv() {
    }

    /** The forward pass of a convolution of {@code x [N, C, H, W]} with {@code w [O, C/G, kH, kW]} into {@code dst}. */
    static void forward(NDArray x, NDArray w, Conv2dSpec spec, NDArray dst) {
        forward(x, w, spec, dst, 0);
    }

    /** The input gradient {@code dst [N, C, H, W]} of a convolution, from {@code go [N, O, OH, OW]} and {@code w}. */
    static void inputGrad(NDArray go, NDArray w, Conv2dSpec spec, NDArray dst) {
        inputGrad(go, w, spec, dst, 0);
    }

    /** {@link #forward}, each im2col work item taking {@code run} positions of a row (0: the device's choice). */
    static void forward(NDArray x, NDArray w, Conv2dSpec spec, NDArray dst, int run) {
        OpenClContext ctx = OpenClBackend.context("conv2d", x, w, dst);
        int n = dst.size(0), o = dst.size(1), l = dst.size(2) * dst.size(3);
        int g = spec.groups();
        int k = w.size(1) * w.size(2) * w.size(3);
        int[] geo = DepthwiseConv.geo(x.shape(), w, dst.size(2), dst.size(3), spec);
        NDArray cols = NDArray.empty(x.dtype(), x.device(), n * g, k, l);
        NDArray xd = x.contiguous();
        rows(ctx, "im2col_rows", xd, cols, geo, n * x.size(1) * w.size(2) * w.size(3) * dst.size(2), dst.size(3), run);
        gemm(ctx, w.reshape(1, g, o / g, k).expand(n, g, o / g, k).reshape(n * g, o / g, k), w, cols, null,
                dst.view(n * g, o / g, l));
        free(xd, x);
    }

    /** {@link #inputGrad}, each col2im work item taking {@code run} positions of a row (0: the device's choice). */
    static void inputGrad(NDArray go, NDArray w, Conv2dSpec spec, NDArray dst, int run) {
        OpenClContext ctx = OpenClBackend.context("conv2dInputGrad", go, w, dst);
        int n = go.size(0), o = w.size(0), g = spec.groups();
        int k = w.size(1) * w.size(2) * w.size(3);
        int l = go.size(2) * go.size(3);
        NDArray cols = NDArray.empty(go.dtype(), go.device(), n * g, k, l);
        gemm(ctx, w.reshape(1, g, o / g, k).transpose(-1, -2).expand(n, g, k, o / g).reshape(n * g, k, o / g), w,
                go.contiguous().view(n * g, o / g, l), go, cols);
        int[] geo = DepthwiseConv.geo(dst.shape(), w, go.size(2), go.size(3), spec);
        rows(ctx, "col2im", cols, dst, geo, n * dst.size(1) * dst.size(2), dst.size(3), run);
        free(cols, null);
    }

    /** The weight gradient {@code dst [O, C/G, kH, kW]} of a convolution, from {@code x} and {@code go}. */
    static void weightGrad(NDArray x, NDArray go, Conv2dSpec spec, NDArray dst) {
        OpenClContext ctx = OpenClBackend.context("conv2dWeightGrad", x, go, dst);
        int n = x.size(0), o = go.size(1), g = spec.groups();
        int k = dst.size(1) * dst.size(2) * dst.size(3);
        int l = n * go.size(2) * go.size(3);
        int[] geo = DepthwiseConv.geo(x.shape(), dst, go.size(2), go.size(3), spec);
        NDArray cols = NDArray.empty(x.dtype(), x.device(), g, l, k);
        NDArray xd = x.contiguous();
        new Launch(ctx, ctx.programs.kernel(Programs.Family.CONV, x.dtype(), "im2col_cols"))
                .buf(Elementwise.storage(xd)).i32(xd.offset()).buf(Elementwise.storage(cols)).i32(cols.offset())
                .ints(geo).i32(g).i32(g * l).run1d(g * l);
        gemm(ctx, go.reshape(n, g, o / g, go.size(2) * go.size(3)).permute(1, 2, 0, 3).reshape(g, o / g, l), go, cols, null,
                dst.view(g, o / g, k));
        free(xd, x);
    }

    /**
     * {@code dst = a @ b} through the device's GEMM; then frees {@code a} and {@code b} where they are copies made
     * from {@code aFrom} and {@code bFrom} (or temporaries, when those are null).
     */
    private static void gemm(OpenClContext ctx, NDArray a, NDArray aFrom, NDArray b, NDArray bFrom, NDArray dst) {
        Gemm.matmul(ctx, a, b, dst);
        free(a, aFrom);
        free(b, bFrom);
    }

    /**
     * Frees the device buffer of a temporary now (OpenCL keeps it until the kernels enqueued on it have run), unless it
     * shares the storage of {@code source}, the array it was made from without a copy.
     */
    private static void free(NDArray temporary, NDArray source) {
        if (source == null || temporary.storage() != source.storage()) {
            ((OpenClStorage) temporary.storage()).close();
        }
    }

    /**
     * Runs a row kernel ({@code im2col_rows}, {@code col2im}) from {@code src} into {@code dst} over {@code rows}
     * rows of {@code width} elements, {@code run} per work item (0: the device's {@link Programs#elementRun}).
     */
    private static void rows(OpenClContext ctx, String kernel, NDArray src, NDArray dst, int[] geo, int rows, int width,
            int run) {
        run = run > 0 ? run : ctx.programs.elementRun;
        int items = Layout.runItems(rows, width, run);
        new Launch(ctx, ctx.programs.kernel(Programs.Family.CONV, dst.dtype(), kernel))
                .buf(Elementwise.storage(src)).i32(src.offset()).buf(Elementwise.storage(dst)).i32(dst.offset())
                .ints(geo).i32(run).i32(items).run1d(items);
    }
}
