package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The im2col matrix of a convolution block generated straight into the GEMM's packed B panels, so that it is
 * written once instead of being materialised by im2col and then copied by the packing. The block's input (images,
 * the group's channels, the input rows its output rows read) is first copied into a zero-padded buffer, so that every
 * tap of every pixel is in bounds: packing is then plain copies and gathers without edge cases.
 *
 * <p>Two orientations: {@link #taps} is the forward pass's {@code [taps x pixels]} operand, {@link #pixels} the
 * weight gradient's {@code [pixels x taps]}. Taps are {@code (c, i, j)} of channels {@code [c0, c1)}, row-major;
 * pixels are {@code (image, oy, ox)} over images {@code [0, images)} (at {@code xImg + image * imgStride}) and output
 * rows {@code [oy0, oy1)}. The packed values are exactly those of im2col followed by {@code packB}.
 */
final class Im2colPack {
    /** Output rows at least this wide are packed by row segments (copies); narrower ones lane by lane (gathers). */
    private static final int MIN_SEGMENT = 16;
    /** This thread's tap and pixel offset tables (slots 0 and 1), reused by every panel it packs. */
    private static final ThreadLocal<int[][]> OFFSETS = ThreadLocal.withInitial(() -> new int[2][0]);

    private Im2colPack() {
    }

    /** This thread's offset table {@code slot}, at least {@code n} long (its contents are arbitrary). */
    private static int[] offsets(int slot, int n) {
        int[][] t = OFFSETS.get();
        if (t[slot].length < n) {
            t[slot] = new int[Math.max(n, 2 * t[slot].length)];
        }
        return t[slot];
    }

    /**
     * A block's input laid out for {@link Gemm#gemmInPlace}: tap {@code r}'s values for the block's output pixels are
     * consecutive from {@code data[taps[r]]}, output pixel {@code (oy, ox)} (rows from the block's first) at column
     * {@code oy * rowWidth() + ox}; the {@code rowWidth() - ow} columns after each output row are computed and dropped.
     * The buffer has {@link Padded#SLACK} readable elements after the block.
     */
    abstract static class TapRows {
        /** The laid-out input. */
        abstract Object data();

        /** Columns per output row. */
        abstract int rowWidth();

        /** The convolution. */
        abstract Conv.Geo geo();

        /** Elements per channel of the block. */
        abstract int channelSize();

        /** The offset of tap {@code (i, j)} from its channel's start. */
        abstract int tap(int i, int j);

        /**
         * {@code dst[t]} = the offset of tap {@code from + t} (channel from the block's first, then i, then j)
         * relative to its pixel's offset, for {@code t < n}, stepping through (channel, i, j) without divisions.
         * Returns dst.
         */
        final int[] taps(int from, int[] dst, int n) {
            Conv.Geo gm = geo();
            int ij = from % gm.khw;
            int i = ij / gm.kw;
            int j = ij % gm.kw;
            int base = from / gm.khw * channelSize();
            for (int t = 0; t < n; t++) {
                dst[t] = base + tap(i, j);
                if (++j == gm.kw) {
                    j = 0;
                    if (++i == gm.kh) {
                        i = 0;
                        base += channelSize();
                    }
                }
            }
            return dst;
        }
    }

    /**
     * The input of a stride-2 block split into its four phases, so that its taps are read in place as a stride-1
     * block's are: phase {@code (a, b)} of a channel is the plane {@code P[y][x] = padded[2y + a][2x + b]}, so tap
     * {@code (i, j)} of output pixel {@code (oy, ox)} is {@code P_(i%2, j%2)[oy + i/2][ox + j/2]}. Planes are
     * {@code rowWidth = ow + (kw - 1) / 2} wide and {@code rows + (kh - 1) / 2} high, in (channel, a, b) order. Copying
     * the input once replaces im2col's {@code kh * kw / 4} copies of it.
     */
    static final class Phased extends TapRows {
        private final Object data;
        private final Conv.Geo gm;
        private final int wq;
        private final int plane;

        /** The phases of channels {@code [c0, c1)} under output rows {@code [oy0, oy1)} of the image at {@code xImg}. */
        Phased(Object x, int xImg, Conv.Geo gm, int c0, int c1, int oy0, int oy1) {
            this.gm = gm;
            this.wq = gm.ow + (gm.kw - 1) / 2;
            int hq = oy1 - oy0 + (gm.kh - 1) / 2;
            this.plane = hq * wq;
            int size = (c1 - c0) * 4 * plane;
            this.data = Conv.scratch(x instanceof float[] ? DType.F32 : DType.F64, size + Padded.SLACK, 0);
            zero(data, 0, size);
            int hw = gm.h * gm.w;
            for (int c = c0; c < c1; c++) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        // columns x with 0 <= 2x + b - pw < w
                        int x0 = Math.max(0, (gm.pw - b + 1) / 2);
                        int x1 = Math.min(wq, Math.floorDiv(gm.w - 1 + gm.pw - b, 2) + 1);
                        int dst = ((c - c0) * 4 + a * 2 + b) * plane;
                        for (int y = 0; y < hq && x1 > x0; y++) {
                            int iy = 2 * (oy0 + y) + a - gm.ph;
                            if (iy >= 0 && iy < gm.h) {
                                strided(x, xImg + c * hw + iy * gm.w + 2 * x0 + b - gm.pw, 2, data, dst + y * wq + x0,
                                        x1 - x0);
                            }
                        }
                    }
                }
            }
        }

        /**
         * Whether a convolution's forward pass reads its taps from phases: stride 2, no dilation, kernels of at least
         * 3x3 (a 2x2 kernel's im2col already moves each input element once: nothing to save).
         */
        static boolean fits(Conv.Geo gm) {
            return gm.sh == 2 && gm.sw == 2 && gm.dh == 1 && gm.dw == 1 && gm.kh >= 3 && gm.kw >= 3;
        }

        @Override
        Object data() {
            return data;
        }

        @Override
        int rowWidth() {
            return wq;
        }

        @Override
        Conv.Geo geo() {
            return gm;
        }

        @Override
        int channelSize() {
            return 4 * plane;
        }

        @Override
        int tap(int i, int j) {
            return ((i & 1) * 2 + (j & 1)) * plane + (i >> 1) * wq + (j >> 1);
        }
    }

    /**
     * A zero-padded copy of a block's input, and the offsets of taps and pixels in it. The buffer has {@link #SLACK}
     * more elements than the block, so that a kernel may read a whole register panel past the last pixel. Where the
     * input already has that layout (no padding, whole planes whose rows are as wide as the padded ones: a 1x1
     * convolution's, several small images at once), {@link #of} reads it in place instead of copying it.
     */
    static final class Padded extends TapRows {
        /** Readable elements after the block (at least a micro-kernel's widest panel, {@code nr}). */
        static final int SLACK = 64;
        final Object data;
        final Conv.Geo gm;
        final int oy0;
        final int oy1;
        /** Padded row length, rows per channel, elements per image of the block. */
        final int wp;
        final int hp;
        final int perImage;
        /** Pixels per image in the block. */
        final int pixelsPerImage;
        /** Where the block's first image starts in {@link #data}, and the distance between its images there. */
        private final int origin;
        private final int imageStride;

        /** The zero-padded copy (a kernel may read {@link #SLACK} elements past the block). */
        Padded(Object x, int xImg, int imgStride, int images, Conv.Geo gm, int c0, int c1, int oy0, int oy1) {
            this(x, xImg, imgStride, images, gm, c0, c1, oy0, oy1, false);
        }

        /**
         * The block's input read in place where it has the padded layout, else the copy; for packers that read only
         * the taps of the block's pixels (not {@link #SLACK} past them).
         */
        static Padded of(Object x, int xImg, int imgStride, int images, Conv.Geo gm, int c0, int c1, int oy0, int oy1) {
            return new Padded(x, xImg, imgStride, images, gm, c0, c1, oy0, oy1, true);
        }

        private Padded(Object x, int xImg, int imgStride, int images, Conv.Geo gm, int c0, int c1, int oy0, int oy1,
                boolean inPlaceIfLaidOut) {
            this.gm = gm;
            this.oy0 = oy0;
            this.oy1 = oy1;
            this.wp = (gm.ow - 1) * gm.sw + (gm.kw - 1) * gm.dw + 1;
            this.hp = (oy1 - 1 - oy0) * gm.sh + (gm.kh - 1) * gm.dh + 1;
            this.perImage = (c1 - c0) * hp * wp;
            this.pixelsPerImage = (oy1 - oy0) * gm.ow;
            if (inPlaceIfLaidOut && gm.ph == 0 && gm.pw == 0 && oy0 == 0 && wp == gm.w && hp == gm.h) {
                this.data = x;
                this.origin = xImg + c0 * gm.h * gm.w;
                this.imageStride = imgStride;
                return;
            }
            this.origin = 0;
            this.imageStride = perImage;
            boolean f32 = x instanceof float[];
            this.data = Conv.scratch(f32 ? DType.F32 : DType.F64, images * perImage + SLACK, 0);
            int iy0 = oy0 * gm.sh - gm.ph;
            int lo = Math.min(wp, gm.pw);
            int hi = Math.max(lo, Math.min(wp, gm.pw + gm.w));
            if (lo > 0 || hi < wp || iy0 < 0 || iy0 + hp > gm.h) {
                // Padding: clear the block in one pass (a vectorised fill) rather than run by run.
                zero(data, 0, images * perImage);
            }
            int hw = gm.h * gm.w;
            int r0 = Math.max(0, -iy0);
            int r1 = Math.min(hp, gm.h - iy0);
            for (int img = 0; img < images && hi > lo; img++) {
                for (int c = c0; c < c1; c++) {
                    int src = xImg + img * imgStride + c * hw + lo - gm.pw;
                    int dst = img * perImage + (c - c0) * hp * wp + lo;
                    for (int r = r0; r < r1; r++) {
                        System.arraycopy(x, src + (iy0 + r) * gm.w, data, dst + r * wp, hi - lo);
                    }
                }
            }
        }

        @Override
        Object data() {
            return data;
        }

        @Override
        int rowWidth() {
            return wp;
        }

        @Override
        Conv.Geo geo() {
            return gm;
        }

        @Override
        int channelSize() {
            return hp * wp;
        }

        @Override
        int tap(int i, int j) {
            return i * gm.dh * wp + j * gm.dw;
        }

        /** Writes the offsets of the {@code n} pixels from pixel index {@code p0} into {@code off}; returns it. */
        int[] pixels(int p0, int[] off, int n) {
            int img = p0 / pixelsPerImage;
            int rem = p0 % pixelsPerImage;
            int oy = rem / gm.ow;
            int ox = rem % gm.ow;
            for (int t = 0; t < n; t++) {
                off[t] = origin + img * imageStride + oy * gm.sh * wp + ox * gm.sw;
                if (++ox == gm.ow) {
                    ox = 0;
                    if (++oy == oy1 - oy0) {
                        oy = 0;
                        img++;
                    }
                }
            }
            return off;
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
     * B[r][p] = input under tap r of pixel p: the forward GEMM's right operand. Wide output rows are copied in
     * segments that lie in one output row and one panel; narrow ones are gathered lane by lane.
     */
    static Gemm.BPacker taps(Object x, int xImg, int imgStride, int images, Conv.Geo gm, int c0, int c1, int oy0, int oy1) {
        Padded in = Padded.of(x, xImg, imgStride, images, gm, c0, c1, oy0, oy1);
        Object xp = in.data;
        if (gm.ow < MIN_SEGMENT) {
            return (kern, pc, kc, jc, nc, d, dstOff) -> {
                int nr = kern.nr;
                zeroTail(kern, kc, nc, d, dstOff);
                int[] pix = in.pixels(jc, offsets(1, nc), nc);
                int[] taps = in.taps(pc, offsets(0, kc), kc);
                for (int r = 0; r < kc; r++) {
                    int tap = taps[r];
                    for (int t0 = 0; t0 < nc; t0 += nr) {
                        gather(xp, tap, pix, d, dstOff + t0 * kc + r * nr - t0, t0, Math.min(nc, t0 + nr));
                    }
                }
            };
        }
        return (kern, pc, kc, jc, nc, d, dstOff) -> {
            int nr = kern.nr;
            zeroTail(kern, kc, nc, d, dstOff);
            int[] tap = in.taps(pc, offsets(0, kc), kc);
            int[] pix = in.pixels(jc, offsets(1, nc), nc);
            int ox = (jc % in.pixelsPerImage) % gm.ow;
            int lane = 0;
            int at = dstOff;
            for (int col = 0; col < nc; ) {
                int m = Math.min(Math.min(nc - col, gm.ow - ox), nr - lane);
                int p = pix[col];
                for (int r = 0, to = at; r < kc; r++, to += nr) {
                    if (gm.sw == 1) {
                        System.arraycopy(xp, p + tap[r], d, to, m);
                    } else {
                        strided(xp, p + tap[r], gm.sw, d, to, m);
                    }
                }
                col += m;
                ox = (ox + m) % gm.ow;
                lane += m;
                at += m;
                if (lane == nr) {
                    lane = 0;
                    at += nr * (kc - 1);
                }
            }
        };
    }

    /** B[p][t] = input under tap t of pixel p: the weight gradient's right operand (im2col transposed). */
    static Gemm.BPacker pixels(Object x, int xImg, int imgStride, int images, Conv.Geo gm, int c0, int c1, int oy0,
            int oy1) {
        Padded in = Padded.of(x, xImg, imgStride, images, gm, c0, c1, oy0, oy1);
        Object xp = in.data;
        return (kern, pc, kc, jc, nc, d, dstOff) -> {
            int nr = kern.nr;
            zeroTail(kern, kc, nc, d, dstOff);
            int[] tap = in.taps(jc, offsets(0, nc), nc);
            int[] pix = in.pixels(pc, offsets(1, kc), kc);
            for (int p = 0; p < kc; p++) {
                for (int t0 = 0; t0 < nc; t0 += nr) {
                    gather(xp, pix[p], tap, d, dstOff + t0 * kc + p * nr - t0, t0, Math.min(nc, t0 + nr));
                }
            }
        };
    }

    /** {@code d[at + q] = x[src + q * sw]} for {@code q < n}. */
    static void strided(Object x, int src, int sw, Object d, int at, int n) {
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

    /** Zeroes {@code n} elements from {@code at}. */
    static void zero(Object d, int at, int n) {
        if (d instanceof float[]) {
            java.util.Arrays.fill((float[]) d, at, at + n, 0f);
        } else {
            java.util.Arrays.fill((double[]) d, at, at + n, 0.0);
        }
    }
}
