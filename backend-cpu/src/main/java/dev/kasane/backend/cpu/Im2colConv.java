package dev.kasane.backend.cpu;

/**
 * The general path: per (image, block of output rows), the block's im2col matrix generated straight into the GEMM's
 * packed panels ({@link Im2colPack}); the input gradient is a GEMM per block scattered back by {@link Col2im}.
 */
final class Im2colConv extends RowBlockConv {
    static final Im2colConv INSTANCE = new Im2colConv();

    private Im2colConv() {
        super("im2col");
    }

    @Override
    void forwardBlock(Parallel par, GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Conv.Geo gm, int img, int oy0,
            int oy1) {
        int xImg = x.offset + img * gm.c * gm.h * gm.w;
        int outImg = img * gm.o * gm.l + oy0 * gm.ow;
        for (int g = 0; g < gm.g; g++) {
            Gemm.BPacker b = Im2colPack.taps(x.data, xImg, 0, 1, gm, g * gm.cg, (g + 1) * gm.cg, oy0, oy1);
            Gemm.gemm(par, kern, wp[g], b, out, outImg + g * gm.og * gm.l, gm.l, (oy1 - oy0) * gm.ow, false);
        }
    }

    @Override
    void weightGradBlock(GemmKernel kern, View x, View go, Object partial, int cOff, Conv.Geo gm, int img, int oy0, int oy1,
            int g, int c0, int c1, boolean accumulate) {
        int aOff = go.offset + img * gm.o * gm.l + oy0 * gm.ow + g * gm.og * gm.l;
        Gemm.BPacker b = Im2colPack.pixels(x.data, x.offset + img * gm.c * gm.h * gm.w, 0, 1, gm, c0, c1, oy0, oy1);
        Gemm.gemm(kern, go.data, aOff, gm.l, 1, b, partial, cOff, gm.kg, gm.og, (c1 - c0) * gm.khw, (oy1 - oy0) * gm.ow,
                accumulate);
    }

    @Override
    public void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Object out) {
        Col2im.inputGrad(par, kern, go, wt, gm, 1, out);
    }
}
