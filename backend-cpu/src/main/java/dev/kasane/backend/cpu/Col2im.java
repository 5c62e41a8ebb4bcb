package dev.kasane.backend.cpu;

/**
 * The input gradient as GEMM plus col2im, for the convolutions whose transposed form does not pay ({@link ConvChooser}):
 * {@code cols = W^T gradOut} per (images, group, channel chunk), each column entry added back into the input element
 * it was read from. Used by {@link Im2colConv} (one image per unit, blocks of output rows) and {@link ImagesConv}
 * (several images per unit, their gradOut planes side by side).
 */
final class Col2im {
    private Col2im() {
    }

    /** dx {@code [n, c, h, w]} into {@code dx} with {@code ni} images per work unit. */
    static void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, int ni, Object dx) {
        Fill.fill(par, View.contiguous(dx, go.dtype, gm.n * gm.c * gm.h * gm.w), 0.0); // scatter adds into it
        int imageUnits = (gm.n + ni - 1) / ni;
        int perImage = imageUnits * gm.g;
        int chunks = Math.max(1, Math.min(gm.cg, (ConvChooser.MIN_UNITS + perImage - 1) / perImage));
        // W^T rows of each (group, channel chunk) are the GEMM's A operand for every image: pack them once.
        Gemm.PackedA[] wp = new Gemm.PackedA[gm.g * chunks];
        for (int g = 0; g < gm.g; g++) {
            for (int t = 0; t < chunks; t++) {
                int c0 = gm.cg * t / chunks;
                int c1 = gm.cg * (t + 1) / chunks;
                wp[g * chunks + t] = Gemm.packA(par, kern, wt.data, wt.offset + g * gm.og * gm.kg + c0 * gm.khw, 1, gm.kg,
                        (c1 - c0) * gm.khw, gm.og);
            }
        }
        Conv.runUnits(par, gm, imageUnits * gm.g * chunks, u -> {
            int iu = u / (gm.g * chunks);
            int g = u / chunks % gm.g;
            int t = u % chunks;
            int c0 = g * gm.cg + gm.cg * t / chunks;
            int c1 = g * gm.cg + gm.cg * (t + 1) / chunks;
            if (ni > 1) {
                images(kern, go, wp[g * chunks + t], dx, gm, iu * ni, Math.min(gm.n, iu * ni + ni), g, c0, c1);
            } else {
                image(kern, go, wp[g * chunks + t], dx, gm, iu, g, c0, c1);
            }
        });
        Gemm.PackedA.release(wp);
    }

    /** Whole images {@code [n0, n1)}: one GEMM of {@code (n1 - n0) * OH * OW} columns, scattered back image by image. */
    private static void images(GemmKernel kern, View go, Gemm.PackedA wp, Object dx, Conv.Geo gm, int n0, int n1, int g,
            int c0, int c1) {
        int width = (n1 - n0) * gm.l;
        Object goP = Conv.scratch(go.dtype, gm.og * width, 1);
        Conv.gatherPlanes(go, gm, n0, n1 - n0, g, goP, width);
        Object cols = Conv.scratch(go.dtype, (c1 - c0) * gm.khw * width);
        Gemm.gemm(kern, wp, goP, 0, width, 1, cols, 0, width, width, false);
        for (int img = n0; img < n1; img++) {
            scatter(cols, (img - n0) * gm.l, width, dx, img * gm.c * gm.h * gm.w, gm, c0, c1, 0, gm.oh);
        }
    }

    /** One image, by blocks of output rows. */
    private static void image(GemmKernel kern, View go, Gemm.PackedA wp, Object dx, Conv.Geo gm, int img, int g, int c0,
            int c1) {
        int m = (c1 - c0) * gm.khw;
        int goImg = go.offset + (img * gm.o + g * gm.og) * gm.l;
        int rb = gm.rowsPerBlock(m);
        Object cols = Conv.scratch(go.dtype, m * rb * gm.ow);
        for (int oy0 = 0; oy0 < gm.oh; oy0 += rb) {
            int oy1 = Math.min(gm.oh, oy0 + rb);
            int lb = (oy1 - oy0) * gm.ow;
            Gemm.gemm(kern, wp, go.data, goImg + oy0 * gm.ow, gm.l, 1, cols, 0, lb, lb, false);
            scatter(cols, 0, lb, dx, img * gm.c * gm.h * gm.w, gm, c0, c1, oy0, oy1);
        }
    }

    /** First output column whose tap at input offset {@code xo} (ix = ox * sw + xo) is inside [0, W). */
    private static int oxLo(int xo, int sw, int ow) {
        return Math.min(ow, xo >= 0 ? 0 : (-xo + sw - 1) / sw);
    }

    /** One past the last output column whose tap is inside [0, W). */
    private static int oxHi(int xo, int sw, int w, int ow, int lo) {
        int last = w - 1 - xo;
        int hi = last < 0 ? 0 : Math.min(ow, last / sw + 1);
        return Math.max(hi, lo);
    }

    /**
     * The adjoint of im2col ({@link Im2colPack#taps}) for channels {@code [c0, c1)}: adds each column entry into the
     * input element it was read from; {@code dx} (image at {@code dxImg}) must be zeroed before the first block. Row
     * {@code r} of the columns (output rows {@code [oy0, oy1)}) starts at {@code cols[colOff + r * ld]}.
     */
    private static void scatter(Object cols, int colOff, int ld, Object dx, int dxImg, Conv.Geo gm, int c0, int c1, int oy0,
            int oy1) {
        int ow = gm.ow;
        int hw = gm.h * gm.w;
        int r = 0;
        for (int c = c0; c < c1; c++) {
            int cb = dxImg + c * hw;
            for (int i = 0; i < gm.kh; i++) {
                for (int j = 0; j < gm.kw; j++) {
                    int xo = j * gm.dw - gm.pw;
                    int lo = oxLo(xo, gm.sw, ow);
                    int hi = oxHi(xo, gm.sw, gm.w, ow, lo);
                    int src = colOff + r * ld;
                    r++;
                    for (int oy = oy0; oy < oy1; oy++, src += ow) {
                        int iy = oy * gm.sh - gm.ph + i * gm.dh;
                        if (iy >= 0 && iy < gm.h) {
                            addRow(cols, src, dx, cb + iy * gm.w + xo, gm.sw, lo, hi);
                        }
                    }
                }
            }
        }
    }

    /** {@code dx[dst + ox * sw] += cols[src + ox]} for {@code ox} in {@code [lo, hi)}. */
    private static void addRow(Object cols, int src, Object dx, int dst, int sw, int lo, int hi) {
        if (dx instanceof float[] d) {
            float[] c = (float[]) cols;
            for (int ox = lo; ox < hi; ox++) {
                d[dst + ox * sw] += c[src + ox];
            }
        } else {
            double[] c = (double[]) cols;
            double[] d = (double[]) dx;
            for (int ox = lo; ox < hi; ox++) {
                d[dst + ox * sw] += c[src + ox];
            }
        }
    }
}
