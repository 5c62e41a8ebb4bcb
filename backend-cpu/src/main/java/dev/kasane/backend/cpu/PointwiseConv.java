package dev.kasane.backend.cpu;

/**
 * 1x1, stride-1, unpadded convolutions: the input planes are already the im2col matrix. The forward pass reads them in
 * place ({@link Gemm#gemmInPlace}: row {@code k} of B is input plane {@code k}) for its whole {@code nr}-column panels,
 * and packs only the last, partial panel, whose reads would run past the end of the last plane. Their input gradient
 * is a pointwise forward pass ({@link TransposedConv}).
 */
final class PointwiseConv extends RowBlockConv {
    static final PointwiseConv INSTANCE = new PointwiseConv();
    /** Each thread's table of B's row offsets (one per input channel of a group). */
    private static final ThreadLocal<int[]> ROWS = ThreadLocal.withInitial(() -> new int[0]);

    private PointwiseConv() {
        super("pointwise");
    }

    /** The planes are read in place, so blocks (forward and weight gradient) hold no copied pixels. */
    @Override
    long forwardPixelElems(Conv.Geo gm) {
        return 1;
    }

    @Override
    void forwardBlock(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Conv.Geo gm, int img, int oy0,
            int oy1) {
        int hw = gm.h * gm.w;
        int xImg = x.offset + img * gm.c * hw;
        int outImg = img * gm.o * gm.l + oy0 * gm.ow;
        int n = (oy1 - oy0) * gm.ow;
        int whole = n / kern.nr * kern.nr;
        int[] rows = ROWS.get();
        if (rows.length < gm.cg) {
            rows = new int[gm.cg];
            ROWS.set(rows);
        }
        for (int g = 0; g < gm.g; g++) {
            int bOff = xImg + g * gm.cg * hw + oy0 * gm.w;
            int cOff = outImg + g * gm.og * gm.l;
            if (whole > 0) {
                for (int k = 0; k < gm.cg; k++) {
                    rows[k] = bOff + k * hw;
                }
                Gemm.gemmInPlace(par, kern, wp[g], x.data, rows, out, cOff, gm.l, whole);
            }
            if (whole < n) {
                Gemm.gemm(par, kern, wp[g], Gemm.matrix(x.data, bOff + whole, hw, 1), out, cOff + whole, gm.l, n - whole,
                        false);
            }
        }
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
