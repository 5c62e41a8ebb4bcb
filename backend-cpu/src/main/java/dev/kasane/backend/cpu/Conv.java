package dev.kasane.backend.cpu;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.function.IntConsumer;

/**
 * Fused convolution kernels of the CPU backend (the overrides of {@code Backend.conv2d}, {@code conv2dInputGrad} and
 * {@code conv2dWeightGrad}): each call makes its operands dense, asks {@link ConvChooser} for the {@link ConvStrategy}
 * of its geometry and dtype, and runs it. The strategies are the packed GEMM of {@link Gemm} on raw arrays whose right
 * operand (im2col of a block of output rows) is generated straight into the packed panels by {@link Im2colPack}
 * ({@link Im2colConv}), the same on the input planes of 1x1 convolutions ({@link PointwiseConv}) or on the padded input
 * read in place ({@link InPlaceTapsConv}), several small images per GEMM ({@link ImagesConv}) and Winograd F(2x2, 3x3)
 * ({@link WinogradConv}); stride-1 input gradients run as forward convolutions ({@link TransposedConv}).
 *
 * <p>Every cut of the work into units depends on the problem size only, so results do not depend on the thread count.
 * A convolution with fewer units than {@link ConvChooser#MIN_UNITS} (one image) runs its units one after the other,
 * each GEMM spread over the threads by {@link Gemm}, whose cut (by thread count) changes which thread computes an
 * element, never how.
 */
final class Conv {
    /** Forward passes and input gradients of fewer flops than this run as one task. */
    private static final long SERIAL_FLOPS = 1L << 20;

    private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[6]);

    private Conv() {
    }

    /** The geometry of one convolution; {@code kg = cg * kh * kw} is the GEMM depth per group. */
    static final class Geo {
        final int n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, g, cg, og, kg, khw, l;

        Geo(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, Conv2dSpec s) {
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.o = o;
            this.kh = kh;
            this.kw = kw;
            this.oh = oh;
            this.ow = ow;
            this.sh = s.strideH();
            this.sw = s.strideW();
            this.ph = s.padH();
            this.pw = s.padW();
            this.dh = s.dilationH();
            this.dw = s.dilationW();
            this.g = s.groups();
            this.cg = c / g;
            this.og = o / g;
            this.khw = kh * kw;
            this.kg = cg * khw;
            this.l = oh * ow;
        }

        /** A 1x1, stride-1, unpadded convolution: the input planes are already the im2col matrix. */
        boolean pointwise() {
            return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
        }

        /**
         * A 1x1 unpadded convolution with a stride above 1 (a residual network's downsampling shortcut): its im2col
         * matrix is the input's every {@code sh}-th row and {@code sw}-th column.
         */
        boolean subsampling() {
            return kh == 1 && kw == 1 && ph == 0 && pw == 0 && (sh > 1 || sw > 1);
        }

        /** Multiply-adds times two of the whole convolution (any of its three passes). */
        long flops() {
            return 2L * n * o * kg * l;
        }

        /**
         * The geometry whose forward pass is this convolution's input gradient when the stride is 1 and the padding at
         * most {@code dilation * (k - 1)}: gradOut {@code [n, o, oh, ow]} convolved with the flipped, transposed kernel
         * {@code [c, og, kh, kw]}, padded by {@code dilation * (k - 1) - pad}; null for other geometries.
         */
        Geo transposed() {
            int padH = dh * (kh - 1) - ph;
            int padW = dw * (kw - 1) - pw;
            if (sh != 1 || sw != 1 || padH < 0 || padW < 0) {
                return null;
            }
            return new Geo(n, o, oh, ow, c, kh, kw, h, w, new Conv2dSpec(1, 1, padH, padW, dh, dw, g));
        }

        /** Output rows per block so that {@code rowsElems * ow} elements per row fit {@link ConvChooser#BLOCK_ELEMS}. */
        int rowsPerBlock(long rowElems) {
            int max = (int) Math.max(1, Math.min(oh, ConvChooser.BLOCK_ELEMS / Math.max(1, rowElems * ow)));
            int blocks = (oh + max - 1) / max;
            return (oh + blocks - 1) / blocks;
        }
    }

    // ------------------------------------------------------------------------------------------ entry points

    static void conv2d(Parallel par, GemmKernel kern, View xv, View wv, Geo gm, boolean fixedWeight, View dst) {
        View x = dense(par, xv);
        View wt = dense(par, wv);
        ConvStrategy s = ConvChooser.forward(gm, x.dtype, kern, fixedWeight);
        into(par, dst, out -> s.forward(par, kern, x, wt, gm, out));
    }

    static void inputGrad(Parallel par, GemmKernel kern, View gov, View wv, Geo gm, View dst) {
        View go = dense(par, gov);
        View wt = dense(par, wv);
        ConvStrategy s = ConvChooser.inputGrad(gm, go.dtype, kern);
        into(par, dst, out -> s.inputGrad(par, kern, go, wt, gm, out));
    }

    static void weightGrad(Parallel par, GemmKernel kern, View xv, View gov, Geo gm, View dst) {
        View x = dense(par, xv);
        View go = dense(par, gov);
        ConvStrategy s = ConvChooser.weightGrad(gm, kern);
        into(par, dst, out -> s.weightGrad(par, kern, x, go, gm, out));
    }

    /**
     * Runs {@code pass} on {@code dst}'s host array when {@code dst} is dense from index 0 of its storage (the arrays
     * that {@code NDArray}'s entry points allocate), else on a fresh array copied into {@code dst} after.
     */
    static void into(Parallel par, View dst, java.util.function.Consumer<Object> pass) {
        if (dst.offset == 0 && dst.isContiguous()) {
            pass.accept(dst.data);
            return;
        }
        View tmp = View.contiguous(dst.dtype.newHostArray(dst.numel()), dst.dtype, dst.shape);
        pass.accept(tmp.data);
        Elementwise.copy(par, tmp, dst);
    }

    // ------------------------------------------------------------------------------------------ shared by the strategies

    /**
     * Runs {@code unit} for {@code 0 <= u < units}: one task per unit, or all of them in one task when the convolution
     * has fewer than {@link #SERIAL_FLOPS} flops (the tasks' overhead would exceed their work).
     */
    static void runUnits(Parallel par, Geo gm, int units, IntConsumer unit) {
        if (gm.flops() < SERIAL_FLOPS) {
            par.run(1, ignored -> {
                for (int u = 0; u < units; u++) {
                    unit.accept(u);
                }
            });
        } else {
            par.run(units, unit);
        }
    }

    /** Whether {@link #runUnits} runs this convolution as one task. */
    static boolean serial(Geo gm) {
        return gm.flops() < SERIAL_FLOPS;
    }

    static Object scratch(DType dt, int size) {
        return scratch(dt, size, 0);
    }

    /**
     * This thread's scratch buffer {@code slot} (0 to 2) of {@code dt}, of at least {@code size} elements. Slot 0 holds
     * the padded input of {@link Im2colPack} (or col2im's columns), slot 1 a unit's GEMM output or gathered operand,
     * slot 2 the in-place weight gradient's transposed product.
     */
    static Object scratch(DType dt, int size, int slot) {
        Object[] s = SCRATCH.get();
        int i = slot * 2 + (dt == DType.F32 ? 0 : 1);
        Object buf = s[i];
        if (buf == null || java.lang.reflect.Array.getLength(buf) < size) {
            buf = dt.newHostArray(size);
            s[i] = buf;
        }
        return buf;
    }

    /** {@code v} if it is dense row-major, else a dense copy (offset 0). */
    static View dense(Parallel par, View v) {
        if (v.isContiguous()) {
            return v.withStrides(View.contiguous(v.data, v.dtype, v.shape).strides); // same array and storage
        }
        View d = View.contiguous(v.dtype.newHostArray(v.numel()), v.dtype, v.shape);
        Elementwise.copy(par, v, d);
        return d;
    }

    /**
     * Copies the planes of output channels {@code [0, m)} of images {@code [n0, n0 + nj)} of group {@code g} (each
     * {@code gm.l} long) side by side into {@code dst}, channel {@code oo}'s images at {@code dst[oo * ld + j * l]}: the
     * gradOut operand of a GEMM over several images.
     */
    static void gatherPlanes(View go, Geo gm, int n0, int nj, int g, Object dst, int ld) {
        for (int j = 0; j < nj; j++) {
            for (int oo = 0; oo < gm.og; oo++) {
                System.arraycopy(go.data, go.offset + ((n0 + j) * gm.o + g * gm.og + oo) * gm.l, dst, oo * ld + j * gm.l, gm.l);
            }
        }
    }
}
