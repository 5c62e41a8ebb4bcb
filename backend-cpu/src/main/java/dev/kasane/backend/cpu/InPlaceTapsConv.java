package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * Stride-1 convolutions without im2col ({@link ConvChooser#inPlaceTaps}): the GEMM reads its taps straight from the
 * zero-padded input block, whose rows are {@code wp = ow + (kw - 1) * dw} wide. It computes output pixel
 * {@code (oy, ox)} at column {@code oy * wp + ox}, for every {@code ox < wp}: then the pixels under a tap are
 * consecutive in the padded block, across rows too, and tap {@code r}'s row of B is the block from offset
 * {@code tap(r)}. The {@code wp - ow} extra columns per row are computed and dropped. The input gradient is the
 * forward pass of the transposed geometry ({@link TransposedConv}). The forward pass of a stride-2 convolution reads
 * its taps the same way from the four phases of its input ({@link Im2colPack.Phased}, {@link ConvChooser#phasedTaps}),
 * whose rows are {@code ow + (kw - 1) / 2} wide.
 */
final class InPlaceTapsConv extends RowBlockConv {
    static final InPlaceTapsConv INSTANCE = new InPlaceTapsConv();
    /**
     * The weight gradient takes dot products along the pixels ({@link GemmKernel#dotRows}) instead of the GEMM for at
     * most this many output channels: its panels would be mostly padding (6 channels of a 16-wide vector in LeNet-5's
     * first convolution), and packing gradOut into them cost as much as the products.
     */
    private static final int DOT_MAX_CHANNELS = 8;
    /** ... and at least this many pixel columns per block, over which the lane sums at the end are spread. */
    private static final int DOT_MIN_PIXELS = 256;

    private InPlaceTapsConv() {
        super("in-place");
    }

    /** A block holds the padded input rows (about C elements per output pixel), not im2col's C*kH*kW. */
    @Override
    long weightGradPixelElems(Conv.Geo gm) {
        return gm.cg;
    }

    @Override
    void forwardBlock(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Conv.Geo gm, int img, int oy0,
            int oy1) {
        int xImg = x.offset + img * gm.c * gm.h * gm.w;
        int[] taps = new int[gm.kg];
        for (int g = 0; g < gm.g; g++) {
            int c0 = g * gm.cg;
            Im2colPack.TapRows in = gm.sh == 1 ? new Im2colPack.Padded(x.data, xImg, 0, 1, gm, c0, c0 + gm.cg, oy0, oy1)
                    : new Im2colPack.Phased(x.data, xImg, gm, c0, c0 + gm.cg, oy0, oy1);
            in.taps(0, taps, gm.kg);
            int wr = in.rowWidth();
            int cols = (oy1 - oy0 - 1) * wr + gm.ow;
            Object tmp = Conv.scratch(x.dtype, gm.og * cols, 1);
            Gemm.gemmInPlace(par, kern, wp[g], in.data(), taps, tmp, 0, cols, cols);
            int outRow = (img * gm.o + g * gm.og) * gm.l + oy0 * gm.ow;
            for (int oo = 0; oo < gm.og; oo++) {
                for (int oy = 0; oy < oy1 - oy0; oy++) {
                    System.arraycopy(tmp, oo * cols + oy * wr, out, outRow + oo * gm.l + oy * gm.ow, gm.ow);
                }
            }
        }
    }

    /**
     * Over the pixel columns of the forward pass (rows {@code wp} wide), {@code dW^T[r][o] (+)= sum_q padded[tap(r) + q]
     * * gradOut'[o][q]}, with gradOut' zero in the dropped columns, for the taps of channels {@code [c0, c1)} of group
     * {@code g}. The taps' rows of the padded input are the GEMM's A, read in place; gradOut' is its (small) packed B.
     * The product dW^T [taps, og] stays in this thread's scratch slot 2, summed over the blocks of a task, until
     * {@link #finishWeightGradTask} moves it into dW. With few output channels (N = og) the kernel's narrow twin does
     * the product; with very few, over wide blocks, its dot products along the pixels ({@link GemmKernel#dotRows}) read
     * gradOut' unpacked.
     */
    @Override
    void weightGradBlock(GemmKernel wide, View x, View go, Object partial, int cOff, Conv.Geo gm, int img, int oy0, int oy1,
            int g, int c0, int c1, boolean accumulate) {
        GemmKernel kern = gm.og <= wide.narrow().nr ? wide.narrow() : wide;
        Im2colPack.Padded in = new Im2colPack.Padded(x.data, x.offset + img * gm.c * gm.h * gm.w, 0, 1, gm, c0, c1, oy0,
                oy1);
        int goOff = go.offset + img * gm.o * gm.l + oy0 * gm.ow + g * gm.og * gm.l;
        int rows = oy1 - oy0;
        int cols = (rows - 1) * in.wp + gm.ow;
        int ntaps = (c1 - c0) * gm.khw;
        int[] taps = in.taps(0, new int[(ntaps + kern.mr - 1) / kern.mr * kern.mr], ntaps);
        Object goWide = Conv.scratch(go.dtype, gm.og * cols, 1);
        for (int oo = 0; oo < gm.og; oo++) {
            for (int oy = 0; oy < rows; oy++) {
                int at = oo * cols + oy * in.wp;
                System.arraycopy(go.data, goOff + oo * gm.l + oy * gm.ow, goWide, at, gm.ow);
                if (oy < rows - 1) {
                    Im2colPack.zero(goWide, at + gm.ow, in.wp - gm.ow);
                }
            }
        }
        Object prod = Conv.scratch(go.dtype, ntaps * gm.og, 2);
        if (gm.og <= DOT_MAX_CHANNELS && cols >= DOT_MIN_PIXELS
                && kern.dotRows(in.data, taps, ntaps, goWide, gm.og, cols, prod, accumulate)) {
            return;
        }
        Gemm.gemmInPlaceA(kern, in.data, taps, ntaps, cols, Gemm.matrix(goWide, 0, 1, cols), prod, 0, gm.og, gm.og,
                accumulate);
    }

    /** dW's rows at {@code cOff} (stride kg) = the transpose of the {@code ntaps x og} product in scratch slot 2. */
    @Override
    void finishWeightGradTask(Object partial, int cOff, Conv.Geo gm, int c0, int c1) {
        int ntaps = (c1 - c0) * gm.khw;
        if (partial instanceof float[] d) {
            float[] p = (float[]) Conv.scratch(DType.F32, ntaps * gm.og, 2);
            for (int oo = 0; oo < gm.og; oo++) {
                for (int r = 0, row = cOff + oo * gm.kg; r < ntaps; r++) {
                    d[row + r] = p[r * gm.og + oo];
                }
            }
        } else {
            double[] p = (double[]) Conv.scratch(DType.F64, ntaps * gm.og, 2);
            double[] d = (double[]) partial;
            for (int oo = 0; oo < gm.og; oo++) {
                for (int r = 0, row = cOff + oo * gm.kg; r < ntaps; r++) {
                    d[row + r] = p[r * gm.og + oo];
                }
            }
        }
    }
}
