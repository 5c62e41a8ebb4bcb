package dev.kasane.backend.cpu;

/**
 * 1x1, stride-1, unpadded convolutions: the input planes are already the im2col matrix, read by the GEMM as they are.
 * Their input gradient is a pointwise forward pass ({@link TransposedConv}).
 */
final class PointwiseConv extends RowBlockConv {
    static final PointwiseConv INSTANCE = new PointwiseConv();

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
        for (int g = 0; g < gm.g; g++) {
            Gemm.BPacker b = Gemm.matrix(x.data, xImg + g * gm.cg * hw + oy0 * gm.w, hw, 1);
            Gemm.gemm(par, kern, wp[g], b, out, outImg + g * gm.og * gm.l, gm.l, (oy1 - oy0) * gm.ow, false);
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
