package dev.kasane.backend.cpu;

/**
 * The im2col matrix of a convolution block generated straight into the GEMM's packed B panels, so that it is
 * written once instead of being materialised by im2col and then copied by the packing. Two orientations:
 * {@link #taps} is the forward pass's {@code [taps x pixels]} operand, {@link #pixels} the weight gradient's
 * {@code [pixels x taps]}. Taps are {@code (c, i, j)} of channels from {@code c0}, row-major; pixels are
 * {@code (image, oy, ox)} over images {@code [0, images)} (at {@code xImg + image * imgStride}) and output rows
 * {@code [oy0, oy1)}. The packed values are exactly those of im2col followed by {@code packB}, so results are
 * bit-identical to the materialised path.
 */
final class Im2colPack {
    private Im2colPack() {
    }

    /** The pixel walk shared by both orientations: image, output row and column of a pixel index. */
    private static final class Pixels {
        final int perImage;
        final int ow;
        final int oy0;

        Pixels(Conv.Geo gm, int oy0, int oy1) {
            this.perImage = (oy1 - oy0) * gm.ow;
            this.ow = gm.ow;
            this.oy0 = oy0;
        }
    }

    /** Zeroes the padding columns of the last, partial panel. */
    private static void zeroTail(GemmKernel kern, int kc, int nc, Object d, int dstOff) {
        int full = nc / kern.nr;
        if (full * kern.nr != nc) {
            kern.zero(d, dstOff + full * kern.nr * kc, kern.nr * kc);
        }
    }

    /**
     * B[r][p] = input under tap r of pixel p: the forward GEMM's right operand. The columns are cut into segments that
     * lie in one output row and one panel; each segment is written for all rows of the slice in turn, which fills
     * its panel sequentially.
     */
    static Gemm.BPacker taps(Object x, int xImg, int imgStride, Conv.Geo gm, int c0, int oy0, int oy1) {
        Pixels px = new Pixels(gm, oy0, oy1);
        int hw = gm.h * gm.w;
        return (kern, pc, kc, jc, nc, d, dstOff) -> {
            int nr = kern.nr;
            zeroTail(kern, kc, nc, d, dstOff);
            // per row (tap) of the slice: input row offset, input column offset, the in-bounds ox range, channel offset
            int[] rYo = new int[kc];
            int[] rXo = new int[kc];
            int[] rLo = new int[kc];
            int[] rHi = new int[kc];
            int[] rChan = new int[kc];
            for (int r = 0; r < kc; r++) {
                int ij = (pc + r) % gm.khw;
                rYo[r] = (ij / gm.kw) * gm.dh - gm.ph;
                rXo[r] = (ij % gm.kw) * gm.dw - gm.pw;
                rLo[r] = Conv.oxLo(rXo[r], gm.sw, gm.ow);
                rHi[r] = Conv.oxHi(rXo[r], gm.sw, gm.w, gm.ow, rLo[r]);
                rChan[r] = xImg + (c0 + (pc + r) / gm.khw) * hw + rXo[r];
            }
            int img = jc / px.perImage;
            int rem = jc % px.perImage;
            int oy = px.oy0 + rem / px.ow;
            int ox = rem % px.ow;
            int lane = 0;
            int at = dstOff;
            for (int col = 0; col < nc; ) {
                int m = Math.min(Math.min(nc - col, px.ow - ox), nr - lane);
                int iy0 = oy * gm.sh;
                int imgBase = img * imgStride;
                for (int r = 0, to = at; r < kc; r++, to += nr) {
                    int iy = iy0 + rYo[r];
                    if (iy < 0 || iy >= gm.h) {
                        zero(d, to, m);
                        continue;
                    }
                    int a = Math.min(Math.max(ox, rLo[r]), ox + m);
                    int b = Math.max(a, Math.min(ox + m, rHi[r]));
                    if (a > ox) {
                        zero(d, to, a - ox);
                    }
                    int src = rChan[r] + imgBase + iy * gm.w;
                    if (gm.sw == 1) {
                        System.arraycopy(x, src + a, d, to + a - ox, b - a);
                    } else {
                        strided(x, src + a * gm.sw, gm.sw, d, to + a - ox, b - a);
                    }
                    if (b < ox + m) {
                        zero(d, to + b - ox, ox + m - b);
                    }
                }
                col += m;
                ox += m;
                lane += m;
                at += m;
                if (lane == nr) {
                    lane = 0;
                    at += nr * (kc - 1);
                }
                if (ox == px.ow) {
                    ox = 0;
                    if (++oy == oy1) {
                        oy = oy0;
                        img++;
                    }
                }
            }
        };
    }

    /** B[p][t] = input under tap t of pixel p: the weight gradient's right operand (im2col transposed). */
    static Gemm.BPacker pixels(Object x, int xImg, int imgStride, Conv.Geo gm, int c0, int oy0, int oy1) {
        Pixels px = new Pixels(gm, oy0, oy1);
        int hw = gm.h * gm.w;
        return (kern, pc, kc, jc, nc, d, dstOff) -> {
            int nr = kern.nr;
            zeroTail(kern, kc, nc, d, dstOff);
            // per tap column: channel offset, row and column offsets relative to the pixel's top-left input
            int[] chan = new int[nc];
            int[] ty = new int[nc];
            int[] tx = new int[nc];
            int[] off = new int[nc];
            int[] edge = new int[nr]; // one panel's offsets at an edge pixel, -1 for padding
            for (int t = 0; t < nc; t++) {
                int r = jc + t;
                int ij = r % gm.khw;
                chan[t] = (c0 + r / gm.khw) * hw;
                ty[t] = (ij / gm.kw) * gm.dh;
                tx[t] = (ij % gm.kw) * gm.dw;
                off[t] = chan[t] + ty[t] * gm.w + tx[t];
            }
            int spanY = (gm.kh - 1) * gm.dh;
            int spanX = (gm.kw - 1) * gm.dw;
            int img = pc / px.perImage;
            int rem = pc % px.perImage;
            int oy = px.oy0 + rem / px.ow;
            int ox = rem % px.ow;
            for (int p = pc; p < pc + kc; p++) {
                int y0 = oy * gm.sh - gm.ph;
                int x0 = ox * gm.sw - gm.pw;
                int base = xImg + img * imgStride;
                boolean interior = y0 >= 0 && y0 + spanY < gm.h && x0 >= 0 && x0 + spanX < gm.w;
                int corner = base + y0 * gm.w + x0;
                for (int t0 = 0; t0 < nc; t0 += nr) {
                    int at = dstOff + t0 * kc + (p - pc) * nr - t0;
                    int t1 = Math.min(nc, t0 + nr);
                    if (interior) {
                        gather(x, corner, off, d, at, t0, t1);
                    } else {
                        for (int t = t0; t < t1; t++) {
                            int iy = y0 + ty[t];
                            int ix = x0 + tx[t];
                            edge[t - t0] = iy >= 0 && iy < gm.h && ix >= 0 && ix < gm.w ? chan[t] + iy * gm.w + ix : -1;
                        }
                        gatherOrZero(x, base, edge, d, at + t0, t1 - t0);
                    }
                }
                if (++ox == px.ow) {
                    ox = 0;
                    if (++oy == oy1) {
                        oy = oy0;
                        img++;
                    }
                }
            }
        };
    }

    /** {@code d[at + q] = x[src + q * sw]} for {@code q < n}. */
    private static void strided(Object x, int src, int sw, Object d, int at, int n) {
        if (x instanceof float[]) {
            float[] xf = (float[]) x;
            float[] df = (float[]) d;
            for (int q = 0; q < n; q++) {
                df[at + q] = xf[src + q * sw];
            }
        } else {
            double[] xd = (double[]) x;
            double[] dd = (double[]) d;
            for (int q = 0; q < n; q++) {
                dd[at + q] = xd[src + q * sw];
            }
        }
    }

    /** {@code d[at + t] = x[base + off[t]]} for {@code t} in {@code [t0, t1)}. */
    private static void gather(Object x, int base, int[] off, Object d, int at, int t0, int t1) {
        if (x instanceof float[]) {
            float[] xf = (float[]) x;
            float[] df = (float[]) d;
            for (int t = t0; t < t1; t++) {
                df[at + t] = xf[base + off[t]];
            }
        } else {
            double[] xd = (double[]) x;
            double[] dd = (double[]) d;
            for (int t = t0; t < t1; t++) {
                dd[at + t] = xd[base + off[t]];
            }
        }
    }

    /** {@code d[at + t] = x[base + off[t]]} for {@code t < n}, zero where {@code off[t]} is -1 (padding). */
    private static void gatherOrZero(Object x, int base, int[] off, Object d, int at, int n) {
        if (x instanceof float[]) {
            float[] xf = (float[]) x;
            float[] df = (float[]) d;
            for (int t = 0; t < n; t++) {
                df[at + t] = off[t] < 0 ? 0f : xf[base + off[t]];
            }
        } else {
            double[] xd = (double[]) x;
            double[] dd = (double[]) d;
            for (int t = 0; t < n; t++) {
                dd[at + t] = off[t] < 0 ? 0.0 : xd[base + off[t]];
            }
        }
    }

    /** Zeroes {@code n} elements from {@code at}: a plain loop, as the runs (padding) are a few elements long. */
    private static void zero(Object d, int at, int n) {
        if (d instanceof float[]) {
            float[] df = (float[]) d;
            for (int i = 0; i < n; i++) {
                df[at + i] = 0f;
            }
        } else {
            double[] dd = (double[]) d;
            for (int i = 0; i < n; i++) {
                dd[at + i] = 0.0;
            }
        }
    }
}
