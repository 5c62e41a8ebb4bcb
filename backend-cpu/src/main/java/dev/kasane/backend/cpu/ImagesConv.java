package dev.kasane.backend.cpu;

/**
 * Small output planes: the im2col matrices of {@link #images} whole images side by side make one GEMM with full panels
 * of columns (a 4x4 plane alone would use half of a 32-wide micro-kernel), for all three passes.
 */
final class ImagesConv implements ConvStrategy {
    private final int images;

    /** @param images images per work unit, at least 2 */
    ImagesConv(int images) {
        this.images = images;
    }

    @Override
    public String name() {
        return "images" + images;
    }

    /**
     * Few units (e.g. ResNet's last stage: 16 images of 4x4 make one) split the output channels as well. The weight is
     * read in place: each unit's GEMM is only a few panels wide, so packing the (large) weight would cost about as much
     * as the units' products.
     */
    @Override
    public void forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, Object out) {
        int ni = images;
        int imageUnits = (gm.n + ni - 1) / ni;
        int mGroups = (gm.og + kern.mr - 1) / kern.mr;
        int mSplit = Math.min(mGroups, Math.max(1, (ConvChooser.MIN_UNITS + imageUnits - 1) / imageUnits));
        Conv.runUnits(par, gm, imageUnits * mSplit, u -> {
            int iu = u / mSplit;
            int part = u % mSplit;
            forwardImages(kern, x, wt, out, gm, iu * ni, Math.min(gm.n, iu * ni + ni), mGroups * part / mSplit * kern.mr,
                    Math.min(gm.og, mGroups * (part + 1) / mSplit * kern.mr));
        });
    }

    /**
     * Forward pass of whole images {@code [n0, n1)} as one GEMM over their side-by-side im2col matrices, for the output
     * channels {@code [o0, o1)} of each group, the weight's rows read in place.
     */
    private static void forwardImages(GemmKernel kern, View x, View wt, Object out, Conv.Geo gm, int n0, int n1, int o0,
            int o1) {
        int nj = n1 - n0;
        int ld = nj * gm.l;
        int chw = gm.c * gm.h * gm.w;
        int m = o1 - o0;
        Object tmp = Conv.scratch(x.dtype, m * ld, 1);
        int[] rows = new int[(m + kern.mr - 1) / kern.mr * kern.mr];
        for (int g = 0; g < gm.g; g++) {
            for (int i = 0; i < rows.length; i++) {
                rows[i] = wt.offset + (g * gm.og + Math.min(o0 + i, o1 - 1)) * gm.kg;
            }
            Gemm.BPacker b = Im2colPack.taps(x.data, x.offset + n0 * chw, chw, nj, gm, g * gm.cg, (g + 1) * gm.cg, 0, gm.oh);
            Gemm.gemmInPlaceA(kern, wt.data, rows, m, gm.kg, b, tmp, 0, ld, ld, false);
            for (int j = 0; j < nj; j++) {
                for (int oo = 0; oo < m; oo++) {
                    System.arraycopy(tmp, oo * ld + j * gm.l, out, ((n0 + j) * gm.o + g * gm.og + o0 + oo) * gm.l, gm.l);
                }
            }
        }
    }

    @Override
    public void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Object out) {
        Col2im.inputGrad(par, kern, go, wt, gm, images, out);
    }

    /** Each unit is a GEMM of depth {@code images * OH * OW} over the side-by-side gradOut planes and im2col matrices. */
    @Override
    public void weightGrad(Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm, Object out) {
        int ni = images;
        int chw = gm.c * gm.h * gm.w;
        ConvWeightGrad.run(par, gm, x.dtype, out, (gm.n + ni - 1) / ni, (partial, cOff, g, c0, c1, u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int n0 = u * ni;
                int nj = Math.min(gm.n, n0 + ni) - n0;
                int depth = nj * gm.l;
                Object goP = Conv.scratch(x.dtype, gm.og * depth, 1);
                Conv.gatherPlanes(go, gm, n0, nj, g, goP, depth);
                Gemm.BPacker b = Im2colPack.pixels(x.data, x.offset + n0 * chw, chw, nj, gm, c0, c1, 0, gm.oh);
                Gemm.gemm(kern, goP, 0, depth, 1, b, partial, cOff, gm.kg, gm.og, (c1 - c0) * gm.khw, depth, u > u0);
            }
        });
    }
}
