package dev.kasane.backend.cpu;

/**
 * 1x1, stride-1, unpadded convolutions: the input planes are already the im2col matrix. The forward pass reads them in
 * place ({@link Gemm#gemmInPlace}: row {@code k} of B is input plane {@code k}) for its whole {@code nr}-column panels,
 * and packs only the last, partial panel, whose reads would run past the end of the last plane. The forward pass of a
 * 1x1 unpadded convolution with a stride ({@link Conv.Geo#subsampling}) first copies the block's subsampled planes
 * (each input element under a pixel once, in strided runs) and reads those the same way. The input gradient of the
 * stride-1 ones is a pointwise forward pass ({@link TransposedConv}).
 */
final class PointwiseConv extends RowBlockConv {
    static final PointwiseConv INSTANCE = new PointwiseConv();
    /** Each thread's table of B's row offsets (one per input channel of a group). */
    private static final ThreadLocal<int[]> ROWS = ThreadLocal.withInitial(() -> new int[0]);

    private PointwiseConv() {
        super("pointwise");
    }

    /** Stride 1: the planes are read in place, so blocks hold no copied pixels; else a block holds its subsampled planes. */
    @Override
    long forwardPixelElems(Conv.Geo gm) {
        return gm.pointwise() ? 1 : gm.c;
    }

    @Override
    long weightGradPixelElems(Conv.Geo gm) {
        return 1;
    }

    @Override
    void forwardBlock(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Conv.Geo gm, int img, int oy0,
            int oy1) {
        int n = (oy1 - oy0) * gm.ow;
        Object b;
        int plane;
        int first;
        if (gm.pointwise()) {
            b = x.data;
            plane = gm.h * gm.w;
            first = x.offset + img * gm.c * plane + oy0 * gm.w;
        } else {
            b = subsample(x, gm, img, oy0, oy1);
            plane = n;
            first = 0;
        }
        int whole = n / kern.nr * kern.nr;
        int[] rows = ROWS.get();
        if (rows.length < gm.cg) {
            rows = new int[gm.cg];
            ROWS.set(rows);
        }
        int outImg = img * gm.o * gm.l + oy0 * gm.ow;
        for (int g = 0; g < gm.g; g++) {
            int bOff = first + g * gm.cg * plane;
            int cOff = outImg + g * gm.og * gm.l;
            if (whole > 0) {
                for (int k = 0; k < gm.cg; k++) {
                    rows[k] = bOff + k * plane;
                }
                Gemm.gemmInPlace(par, kern, wp[g], b, rows, out, cOff, gm.l, whole);
            }
            if (whole < n) {
                Gemm.gemm(par, kern, wp[g], Gemm.matrix(b, bOff + whole, plane, 1), out, cOff + whole, gm.l, n - whole,
                        false);
            }
        }
    }

    /** The input of image {@code img} under output rows {@code [oy0, oy1)}, subsampled: {@code [c][(oy1 - oy0) * ow]}. */
    private static Object subsample(View x, Conv.Geo gm, int img, int oy0, int oy1) {
        int n = (oy1 - oy0) * gm.ow;
        Object sub = Conv.scratch(x.dtype, gm.c * n, 0);
        int hw = gm.h * gm.w;
        for (int c = 0; c < gm.c; c++) {
            int src = x.offset + (img * gm.c + c) * hw;
            for (int oy = oy0; oy < oy1; oy++) {
                Im2colPack.strided(x.data, src + oy * gm.sh * gm.w, gm.sw, sub, c * n + (oy - oy0) * gm.ow, gm.ow);
            }
        }
        return sub;
    }

    @Override
    void weightGradBlock(GemmKernel kern, View x, View go, Object partial, int cOff, Conv.Geo gm, int img, int oy0, int oy1,
            int g, int c0, int c1, boolean accumulate) {
        int hw = gm.h * gm.w;
        int aOff = go.offset + img * gm.o * gm.l + oy0 * gm.ow + g * gm.og * gm.l;
        int bOff = x.offset + img * gm.c * hw + c0 * hw + oy0 * gm.w;
        Gemm.gemm(kern, go.data, aOff, gm.l, 1, x.data, bOff, 1, hw, partial, cOff, gm.kg, gm.og, (c1 - c0) * gm.khw,
                (oy1 - oy0) * gm.ow, accumulate);
    }
}
