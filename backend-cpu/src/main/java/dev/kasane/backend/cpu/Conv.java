package dev.kasane.backend.cpu;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;

/**
 * Fused convolution kernels of the CPU backend (the overrides of {@code Backend.conv2d}, {@code conv2dInputGrad} and
 * {@code conv2dWeightGrad}): the packed GEMM of {@link Gemm#gemm} on raw arrays, its right operand (the im2col matrix
 * of a block of output rows) generated straight into the packed panels by {@link Im2colPack}, with no NDArray per image
 * and no materialised im2col matrix. 1x1 stride-1 unpadded convolutions skip im2col and
 * multiply the input planes directly.
 *
 * <p>Work units are (image, block of output rows) for the forward pass, (image, group, channel chunk) for the input
 * gradient and (image, block of output rows) chunks for the weight gradient, whose per-chunk partial sums are added
 * in chunk order. Every cut depends on the problem size only, so results do not depend on the thread count.
 */
final class Conv {
    /** Columns that a convolution's GEMM should have at least; smaller planes are batched (see imagesPerUnit). */
    private static final int MIN_GEMM_COLS = 256;
    /** Target size (elements) of one im2col block: about 1 MB of F32, so it stays in L2. */
    private static final int BLOCK_ELEMS = Integer.getInteger("kasane.cpu.conv.block", 1 << 18);
    /** The weight gradient aims for this many tasks (a fixed number: the split must not depend on the thread count). */
    private static final int WGRAD_TASKS = 16;
    /** Columns of dW (channels x taps) per channel chunk of the weight gradient, at least. */
    private static final int WGRAD_MIN_COLS = 128;
    /** Cap on the elements of the weight gradient's per-chunk partial sums. */
    private static final int WGRAD_PARTIAL_ELEMS = 1 << 22;
    /**
     * GEMM flops that each element of a pixel chunk's partial dW must come with: writing and summing a partial element
     * costs about as much as a few hundred flops, so little spatial work (an 8x8 bottleneck) takes few pixel chunks.
     */
    private static final int WGRAD_FLOPS_PER_PARTIAL = 1024;
    /** Cost of moving one element through im2col, in cycles of the FMA units (see {@link Geo#inPlaceTaps}). */
    private static final int IM2COL_COST = 4;
    /**
     * The in-place weight gradient takes dot products along the pixels ({@link GemmKernel#dotRows}) instead of the
     * GEMM for at most this many output channels: its panels would be mostly padding (6 channels of a 16-wide vector
     * in LeNet-5's first convolution), and packing gradOut into them cost as much as the products.
     */
    private static final int DOT_MAX_CHANNELS = 8;
    /** ... and at least this many pixel columns per block, over which the lane sums at the end are spread. */
    private static final int DOT_MIN_PIXELS = 256;
    /** Aim for at least this many units of work in the input gradient. */
    private static final int MIN_UNITS = 8;

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
         * Whether the forward pass and the weight gradient read the taps in place from the padded input
         * ({@link #forwardInPlace}, {@link #weightGradInPlace}) rather than through im2col: for stride-1 convolutions
         * when the extra columns cost less than im2col would. im2col moves each element of the {@code kg x pixels}
         * matrix once, about {@link #IM2COL_COST} cycles; in place, a plane of {@code oh * ow} pixels takes
         * {@code (oh - 1) * wp + ow} columns rounded up to the kernel's {@code nr}, each costing {@code og / 32} cycles
         * per tap (two 16-lane FMAs per cycle). So: always for a few output channels, with many only on wide rows.
         */
        boolean inPlaceTaps(int nr) {
            if (sh != 1 || sw != 1 || pointwise()) {
                return false;
            }
            long wp = ow + (long) (kw - 1) * dw;
            long useful = (long) oh * ow;
            long cols = ((oh - 1) * wp + ow + nr - 1) / nr * nr;
            return og * (cols - useful) < 32L * IM2COL_COST * useful;
        }

        /** Output rows per block so that {@code rowsElems * ow} elements per row fit {@link #BLOCK_ELEMS}. */
        int rowsPerBlock(long rowElems) {
            int max = (int) Math.max(1, Math.min(oh, BLOCK_ELEMS / Math.max(1, rowElems * ow)));
            int blocks = (oh + max - 1) / max;
            return (oh + blocks - 1) / blocks;
        }
    }

    private static Object scratch(DType dt, int size) {
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
            return View.contiguous(v.data, v.dtype, v.shape).withOffset(v.offset);
        }
        View d = View.contiguous(v.dtype.newHostArray(v.numel()), v.dtype, v.shape);
        Elementwise.copy(par, v, d);
        return d;
    }

    // ------------------------------------------------------------------------------------------ forward

    static NDArray conv2d(Parallel par, GemmKernel kern, View xv, View wv, Geo gm) {
        View x = dense(par, xv);
        View wt = dense(par, wv);
        DType dt = x.dtype;
        if (Winograd.applies(gm, dt)) {
            return Winograd.conv2d(par, kern, x, wt, gm);
        }
        Object out = dt.newHostArray(gm.n * gm.o * gm.l);
        long flops = 2L * gm.n * gm.o * gm.kg * gm.l;
        boolean direct = gm.inPlaceTaps(kern.nr);
        int ni = direct ? 1 : spreadImages(gm, kern, imagesPerUnit(gm, gm.kg));
        if (ni > 1) {
            // Few units (e.g. ResNet's last stage: 16 images of 4x4 make one): split the output channels as well.
            // The weight is read in place: each unit's GEMM is only a few panels wide, so packing the (large) weight
            // would cost about as much as the units' products.
            int imageUnits = (gm.n + ni - 1) / ni;
            int mGroups = (gm.og + kern.mr - 1) / kern.mr;
            int mSplit = Math.min(mGroups, Math.max(1, (MIN_UNITS + imageUnits - 1) / imageUnits));
            int units = imageUnits * mSplit;
            par.run(flops < (1L << 20) ? 1 : units, u0 -> {
                int from = flops < (1L << 20) ? 0 : u0;
                int to = flops < (1L << 20) ? units : u0 + 1;
                for (int u = from; u < to; u++) {
                    int iu = u / mSplit;
                    int part = u % mSplit;
                    forwardImages(kern, x, wt, out, gm, iu * ni, Math.min(gm.n, iu * ni + ni),
                            mGroups * part / mSplit * kern.mr, Math.min(gm.og, mGroups * (part + 1) / mSplit * kern.mr));
                }
            });
            return NDArray.fromHost(out, dt, Device.CPU, gm.n, gm.o, gm.oh, gm.ow);
        }
        // The weight of each group is the GEMM's A operand in every work unit: pack it once, share the panels.
        Gemm.PackedA[] wp = new Gemm.PackedA[gm.g];
        for (int g = 0; g < gm.g; g++) {
            wp[g] = Gemm.packA(par, kern, wt.data, wt.offset + g * gm.og * gm.kg, gm.kg, 1, gm.og, gm.kg);
        }
        boolean pw = gm.pointwise();
        int rb = gm.rowsPerBlock(pw ? 1 : gm.kg);
        int blocks = (gm.oh + rb - 1) / rb;
        int units = gm.n * blocks;
        par.run(flops < (1L << 20) ? 1 : units, u0 -> {
            int from = flops < (1L << 20) ? 0 : u0;
            int to = flops < (1L << 20) ? units : u0 + 1;
            for (int u = from; u < to; u++) {
                int img = u / blocks;
                int oy0 = (u % blocks) * rb;
                int oy1 = Math.min(gm.oh, oy0 + rb);
                if (direct) {
                    forwardInPlace(kern, x, wp, out, gm, img, oy0, oy1);
                } else {
                    forwardUnit(kern, x, wp, out, gm, img, oy0, oy1, pw);
                }
            }
        });
        return NDArray.fromHost(out, dt, Device.CPU, gm.n, gm.o, gm.oh, gm.ow);
    }

    /**
     * Fewer images per unit than {@code ni} when that gives {@link #MIN_UNITS} units, as long as each unit still fills
     * one panel of the micro-kernel's columns: units that split the output channels instead would each generate the
     * same im2col panels again.
     */
    private static int spreadImages(Geo gm, GemmKernel kern, int ni) {
        return ni <= 1 ? ni : Math.min(ni, Math.max((gm.n + MIN_UNITS - 1) / MIN_UNITS, (kern.nr + gm.l - 1) / gm.l));
    }

    /**
     * Images per work unit when the output planes are small: their im2col matrices side by side give the GEMM at
     * least {@link #MIN_GEMM_COLS} columns (a 4x4 plane alone would use half of a 32-wide micro-kernel).
     */
    private static int imagesPerUnit(Geo gm, int kRows) {
        if (gm.l >= MIN_GEMM_COLS || gm.n == 1) {
            return 1;
        }
        int want = (MIN_GEMM_COLS + gm.l - 1) / gm.l;
        int cap = (int) Math.max(1, 4L * BLOCK_ELEMS / ((long) kRows * gm.l));
        return Math.max(1, Math.min(gm.n, Math.min(want, cap)));
    }

    /**
     * Forward pass of whole images {@code [n0, n1)} as one GEMM over their side-by-side im2col matrices, for the output
     * channels {@code [o0, o1)} of each group, the weight's rows read in place.
     */
    private static void forwardImages(GemmKernel kern, View x, View wt, Object out, Geo gm, int n0, int n1, int o0, int o1) {
        int nj = n1 - n0;
        int ld = nj * gm.l;
        int chw = gm.c * gm.h * gm.w;
        int m = o1 - o0;
        Object tmp = scratch(x.dtype, m * ld, 1);
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

    private static void forwardUnit(GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Geo gm, int img, int oy0, int oy1,
            boolean pw) {
        int lb = (oy1 - oy0) * gm.ow;
        int xImg = x.offset + img * gm.c * gm.h * gm.w;
        int outImg = img * gm.o * gm.l + oy0 * gm.ow;
        for (int g = 0; g < gm.g; g++) {
            int cOff = outImg + g * gm.og * gm.l;
            Gemm.BPacker b = pw ? Gemm.matrix(x.data, xImg + g * gm.cg * gm.h * gm.w + oy0 * gm.w, gm.h * gm.w, 1)
                    : Im2colPack.taps(x.data, xImg, 0, 1, gm, g * gm.cg, (g + 1) * gm.cg, oy0, oy1);
            Gemm.gemm(kern, wp[g], b, out, cOff, gm.l, lb, false);
        }
    }

    /**
     * {@link #forwardUnit} without im2col, for stride-1 convolutions ({@link Geo#inPlaceTaps}): the GEMM
     * reads B straight from the zero-padded input block, whose rows are {@code wp = ow + (kw - 1) * dw} wide. It
     * computes output pixel {@code (oy, ox)} at column {@code oy * wp + ox}, for every {@code ox < wp}: then the pixels
     * under a tap are consecutive in the padded block, across rows too, and tap {@code r}'s row of B is the block from
     * offset {@code tap(r)}. The {@code wp - ow} extra columns per row are computed and dropped.
     */
    private static void forwardInPlace(GemmKernel kern, View x, Gemm.PackedA[] wp, Object out, Geo gm, int img, int oy0,
            int oy1) {
        int xImg = x.offset + img * gm.c * gm.h * gm.w;
        int[] taps = new int[gm.kg];
        for (int g = 0; g < gm.g; g++) {
            Im2colPack.Padded in = new Im2colPack.Padded(x.data, xImg, 0, 1, gm, g * gm.cg, (g + 1) * gm.cg, oy0, oy1);
            in.taps(0, taps, gm.kg);
            int cols = (oy1 - oy0 - 1) * in.wp + gm.ow;
            Object tmp = scratch(x.dtype, gm.og * cols, 1);
            Gemm.gemmInPlace(kern, wp[g], in.data, taps, tmp, 0, cols, cols);
            int outRow = (img * gm.o + g * gm.og) * gm.l + oy0 * gm.ow;
            for (int oo = 0; oo < gm.og; oo++) {
                for (int oy = 0; oy < oy1 - oy0; oy++) {
                    System.arraycopy(tmp, oo * cols + oy * in.wp, out, outRow + oo * gm.l + oy * gm.ow, gm.ow);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ input gradient

    static NDArray inputGrad(Parallel par, GemmKernel kern, View gov, View wv, Geo gm) {
        View wt = dense(par, wv);
        int padH = gm.dh * (gm.kh - 1) - gm.ph;
        int padW = gm.dw * (gm.kw - 1) - gm.pw;
        // Stride 1: the transposed convolution is a forward convolution of gradOut with the flipped, transposed kernel,
        // padded by dilation * (k - 1) - pad; no col2im. Its im2col spans O x kh x kw rows over the H x W input plane,
        // col2im's C x kh x kw rows over the output plane: take the forward form unless it moves clearly more data
        // (few input channels make a thin GEMM and a large im2col), or when it reads its taps in place (no im2col).
        if (gm.sh == 1 && gm.sw == 1 && padH >= 0 && padW >= 0) {
            Geo t = new Geo(gm.n, gm.o, gm.oh, gm.ow, gm.c, gm.kh, gm.kw, gm.h, gm.w,
                    new Conv2dSpec(1, 1, padH, padW, gm.dh, gm.dw, gm.g));
            if (Winograd.applies(t, gov.dtype)) {
                return Winograd.inputGrad(par, kern, dense(par, gov), wt, t);
            }
            if (gm.pointwise() || t.inPlaceTaps(kern.nr) || 2L * gm.o * gm.h * gm.w <= 3L * gm.c * gm.l) {
                return conv2d(par, kern, gov, flipTransposed(par, wt, gm), t);
            }
        }
        View go = dense(par, gov);
        DType dt = go.dtype;
        Object dx = dt.newHostArray(gm.n * gm.c * gm.h * gm.w);
        boolean pw = gm.pointwise();
        // Small planes: several images side by side give the GEMM full panels of columns (as in the forward pass).
        int ni = pw ? 1 : spreadImages(gm, kern, imagesPerUnit(gm, gm.kg));
        int imageUnits = (gm.n + ni - 1) / ni;
        int perImage = imageUnits * gm.g;
        int chunks = Math.max(1, Math.min(gm.cg, (MIN_UNITS + perImage - 1) / perImage));
        int units = imageUnits * gm.g * chunks;
        long flops = 2L * gm.n * gm.o * gm.kg * gm.l;
        boolean serial = flops < (1L << 20);
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
        par.run(serial ? 1 : units, u0 -> {
            int from = serial ? 0 : u0;
            int to = serial ? units : u0 + 1;
            for (int u = from; u < to; u++) {
                int iu = u / (gm.g * chunks);
                int g = u / chunks % gm.g;
                int t = u % chunks;
                int c0 = g * gm.cg + gm.cg * t / chunks;
                int c1 = g * gm.cg + gm.cg * (t + 1) / chunks;
                if (ni > 1) {
                    inputGradImages(kern, go, wp[g * chunks + t], dx, gm, iu * ni, Math.min(gm.n, iu * ni + ni), g, c0, c1);
                } else {
                    inputGradUnit(kern, go, wp[g * chunks + t], dx, gm, iu, g, c0, c1, pw);
                }
            }
        });
        return NDArray.fromHost(dx, dt, Device.CPU, gm.n, gm.c, gm.h, gm.w);
    }

    /**
     * W'[g*cg + ci][oo][kh-1-i][kw-1-j] = W[g*og + oo][ci][i][j]: the kernel of the transposed convolution, built in
     * parallel over the output channels (ResNet's last stage flips 2.4M weights per input gradient).
     */
    private static View flipTransposed(Parallel par, View wt, Geo gm) {
        int size = gm.o * gm.kg;
        Object dst = wt.dtype.newHostArray(size);
        int tasks = Parallel.tasksFor(size, CpuBackend.GRAIN, gm.o);
        par.run(tasks, t -> {
            for (int o = gm.o * t / tasks, end = gm.o * (t + 1) / tasks; o < end; o++) {
                int g = o / gm.og;
                int oo = o % gm.og;
                for (int ci = 0; ci < gm.cg; ci++) {
                    int src = wt.offset + (o * gm.cg + ci) * gm.khw;
                    int to = ((g * gm.cg + ci) * gm.og + oo) * gm.khw + gm.khw - 1;
                    if (dst instanceof float[]) {
                        float[] s = (float[]) wt.data;
                        float[] d = (float[]) dst;
                        for (int q = 0; q < gm.khw; q++) {
                            d[to - q] = s[src + q];
                        }
                    } else {
                        double[] s = (double[]) wt.data;
                        double[] d = (double[]) dst;
                        for (int q = 0; q < gm.khw; q++) {
                            d[to - q] = s[src + q];
                        }
                    }
                }
            }
        });
        return View.contiguous(dst, wt.dtype, gm.c, gm.og, gm.kh, gm.kw);
    }

    /**
     * {@link #inputGradUnit} for whole images {@code [n0, n1)} at once: their gradOut planes side by side make one GEMM
     * of {@code (n1 - n0) * OH * OW} columns, scattered back by col2im image by image.
     */
    private static void inputGradImages(GemmKernel kern, View go, Gemm.PackedA wp, Object dx, Geo gm, int n0, int n1, int g,
            int c0, int c1) {
        int width = (n1 - n0) * gm.l;
        Object goP = scratch(go.dtype, gm.og * width, 1);
        for (int img = n0; img < n1; img++) {
            for (int oo = 0; oo < gm.og; oo++) {
                System.arraycopy(go.data, go.offset + (img * gm.o + g * gm.og + oo) * gm.l, goP, oo * width + (img - n0) * gm.l,
                        gm.l);
            }
        }
        Object cols = scratch(go.dtype, (c1 - c0) * gm.khw * width);
        Gemm.gemm(kern, wp, goP, 0, width, 1, cols, 0, width, width, false);
        for (int img = n0; img < n1; img++) {
            col2im(cols, (img - n0) * gm.l, width, dx, img * gm.c * gm.h * gm.w, gm, c0, c1, 0, gm.oh);
        }
    }

    private static void inputGradUnit(GemmKernel kern, View go, Gemm.PackedA wp, Object dx, Geo gm, int img, int g, int c0, int c1,
            boolean pw) {
        int hw = gm.h * gm.w;
        int dxOff = (img * gm.c + c0) * hw;
        int m = (c1 - c0) * gm.khw;
        int goImg = go.offset + (img * gm.o + g * gm.og) * gm.l;
        if (pw) {
            // dx[c][p] = sum_o W[o][c] * go[o][p]
            Gemm.gemm(kern, wp, go.data, goImg, gm.l, 1, dx, dxOff, hw, hw, false);
            return;
        }
        int rb = gm.rowsPerBlock(m);
        Object cols = scratch(go.dtype, m * rb * gm.ow);
        for (int oy0 = 0; oy0 < gm.oh; oy0 += rb) {
            int oy1 = Math.min(gm.oh, oy0 + rb);
            int lb = (oy1 - oy0) * gm.ow;
            Gemm.gemm(kern, wp, go.data, goImg + oy0 * gm.ow, gm.l, 1, cols, 0, lb, lb, false);
            col2im(cols, 0, lb, dx, (img * gm.c) * hw, gm, c0, c1, oy0, oy1);
        }
    }

    // ------------------------------------------------------------------------------------------ weight gradient

    static NDArray weightGrad(Parallel par, GemmKernel kern, View xv, View gov, Geo gm) {
        View x = dense(par, xv);
        View go = dense(par, gov);
        DType dt = x.dtype;
        boolean inPlace = gm.inPlaceTaps(kern.nr);
        int ni = inPlace ? 1 : imagesPerUnit(gm, gm.kg);
        boolean pw = gm.pointwise() && ni == 1;
        // In place, a block holds the padded input rows (about C elements per output pixel), not im2col's C*kH*kW.
        int rb = ni > 1 ? gm.oh : gm.rowsPerBlock(pw ? 1 : inPlace ? gm.cg : gm.kg);
        int blocks = (gm.oh + rb - 1) / rb;
        int units = ni > 1 ? (gm.n + ni - 1) / ni : gm.n * blocks;
        long flops = 2L * gm.n * gm.o * gm.kg * gm.l;
        int part = gm.o * gm.kg;
        // Tasks are (pixel chunk, group, channel chunk). Channel chunks write disjoint columns of dW (no partial sums);
        // pixel chunks each sum their share of the images into their own copy of dW, added in chunk order after.
        // Pixel chunks are preferred (full-width GEMMs); channel chunks make up the task count when the partial sums
        // would take too much memory (large kernels with little spatial work, e.g. 512 channels at 4x4).
        boolean small = flops < (1L << 20);
        int pChunks = small ? 1 : Math.max(1, Math.min((int) Math.min(units, flops / ((long) WGRAD_FLOPS_PER_PARTIAL * part)),
                Math.min((WGRAD_TASKS + gm.g - 1) / gm.g, Math.max(1, WGRAD_PARTIAL_ELEMS / part))));
        int cChunks = small || pChunks * gm.g >= WGRAD_TASKS ? 1
                : Math.max(1, Math.min(Math.min(gm.cg, gm.kg / WGRAD_MIN_COLS),
                        (WGRAD_TASKS + gm.g * pChunks - 1) / (gm.g * pChunks)));
        Object partial = dt.newHostArray(pChunks * part);
        int tasks = pChunks * gm.g * cChunks;
        par.run(tasks, t -> {
            int pc = t / (gm.g * cChunks);
            int g = t / cChunks % gm.g;
            int cc = t % cChunks;
            int c0 = g * gm.cg + gm.cg * cc / cChunks;
            int c1 = g * gm.cg + gm.cg * (cc + 1) / cChunks;
            int u0 = (int) ((long) units * pc / pChunks);
            int u1 = (int) ((long) units * (pc + 1) / pChunks);
            if (inPlace) {
                for (int u = u0; u < u1; u++) {
                    int oy0 = (u % blocks) * rb;
                    weightGradInPlace(kern, x, go, gm, u / blocks, oy0, Math.min(gm.oh, oy0 + rb), g, c0, c1, u > u0);
                }
                transposeProduct(partial, pc * part + g * gm.og * gm.kg + (c0 - g * gm.cg) * gm.khw, gm,
                        (c1 - c0) * gm.khw);
                return;
            }
            for (int u = u0; u < u1; u++) {
                if (ni > 1) {
                    weightGradImages(kern, x, go, partial, pc * part, gm, u * ni, Math.min(gm.n, u * ni + ni), g, c0, c1,
                            u > u0);
                    continue;
                }
                int img = u / blocks;
                int oy0 = (u % blocks) * rb;
                weightGradUnit(kern, x, go, partial, pc * part, gm, img, oy0, Math.min(gm.oh, oy0 + rb), g, c0, c1, pw,
                        u > u0);
            }
        });
        Object dw = pChunks == 1 ? partial : dt.newHostArray(part);
        if (pChunks > 1) {
            reducePartials(par, partial, pChunks, part, dw);
        }
        return NDArray.fromHost(dw, dt, Device.CPU, gm.o, gm.cg, gm.kh, gm.kw);
    }

    /** {@link #weightGradUnit} for whole images {@code [n0, n1)} at once, as one GEMM of depth (n1 - n0) * OH * OW. */
    private static void weightGradImages(GemmKernel kern, View x, View go, Object partial, int pOff, Geo gm, int n0, int n1,
            int g, int c0, int c1, boolean accumulate) {
        int nj = n1 - n0;
        int depth = nj * gm.l;
        int ncols = (c1 - c0) * gm.khw;
        int chw = gm.c * gm.h * gm.w;
        Object goP = scratch(x.dtype, gm.og * depth, 1);
        for (int j = 0; j < nj; j++) {
            for (int oo = 0; oo < gm.og; oo++) {
                System.arraycopy(go.data, go.offset + ((n0 + j) * gm.o + g * gm.og + oo) * gm.l, goP, oo * depth + j * gm.l,
                        gm.l);
            }
        }
        int cOff = pOff + g * gm.og * gm.kg + (c0 - g * gm.cg) * gm.khw;
        Gemm.BPacker b = Im2colPack.pixels(x.data, x.offset + n0 * chw, chw, nj, gm, c0, c1, 0, gm.oh);
        Gemm.gemm(kern, goP, 0, depth, 1, b, partial, cOff, gm.kg, gm.og, ncols, depth, accumulate);
    }

    /**
     * Columns {@code [(c0 - g*cg) * khw, (c1 - g*cg) * khw)} of dW_g [og, kg] (+)= gradOut_g [og, lb] @ colsT [lb, ...]
     * for one block of output rows of one image.
     */
    private static void weightGradUnit(GemmKernel kern, View x, View go, Object partial, int pOff, Geo gm, int img, int oy0,
            int oy1, int g, int c0, int c1, boolean pw, boolean accumulate) {
        int lb = (oy1 - oy0) * gm.ow;
        int hw = gm.h * gm.w;
        int ncols = (c1 - c0) * gm.khw;
        int cOff = pOff + g * gm.og * gm.kg + (c0 - g * gm.cg) * gm.khw;
        int aOff = go.offset + img * gm.o * gm.l + oy0 * gm.ow + g * gm.og * gm.l;
        if (pw) {
            int bOff = x.offset + img * gm.c * hw + c0 * hw + oy0 * gm.w;
            Gemm.gemm(kern, go.data, aOff, gm.l, 1, x.data, bOff, 1, hw, partial, cOff, gm.kg, gm.og, ncols, lb, accumulate);
        } else {
            Gemm.BPacker b = Im2colPack.pixels(x.data, x.offset + img * gm.c * hw, 0, 1, gm, c0, c1, oy0, oy1);
            Gemm.gemm(kern, go.data, aOff, gm.l, 1, b, partial, cOff, gm.kg, gm.og, ncols, lb, accumulate);
        }
    }

    /**
     * The weight gradient of one block of output rows of one image without im2col, for the convolutions whose forward
     * pass reads its taps in place ({@link Geo#inPlaceTaps}): over the pixel columns of {@link #forwardInPlace} (rows
     * {@code wp} wide), {@code dW^T[r][o] (+)= sum_q padded[tap(r) + q] * gradOut'[o][q]}, with gradOut' zero in the
     * dropped columns, for the taps of channels {@code [c0, c1)} of group {@code g}. The taps' rows of the padded input
     * are the GEMM's A, read in place; gradOut' is its (small) packed B. The product dW^T [taps, og] stays in this
     * thread's scratch slot 2, summed over the blocks of a task, until {@link #transposeProduct} moves it into dW. With
     * few output channels (N = og) the kernel's narrow twin does the product; with very few, over wide blocks, its dot
     * products along the pixels ({@link GemmKernel#dotRows}) read gradOut' unpacked.
     */
    private static void weightGradInPlace(GemmKernel wide, View x, View go, Geo gm, int img, int oy0, int oy1, int g,
            int c0, int c1, boolean accumulate) {
        GemmKernel kern = gm.og <= wide.narrow().nr ? wide.narrow() : wide;
        Im2colPack.Padded in = new Im2colPack.Padded(x.data, x.offset + img * gm.c * gm.h * gm.w, 0, 1, gm, c0, c1, oy0,
                oy1);
        int goOff = go.offset + img * gm.o * gm.l + oy0 * gm.ow + g * gm.og * gm.l;
        int rows = oy1 - oy0;
        int cols = (rows - 1) * in.wp + gm.ow;
        int ntaps = (c1 - c0) * gm.khw;
        int[] taps = in.taps(0, new int[(ntaps + kern.mr - 1) / kern.mr * kern.mr], ntaps);
        Object goWide = scratch(go.dtype, gm.og * cols, 1);
        for (int oo = 0; oo < gm.og; oo++) {
            for (int oy = 0; oy < rows; oy++) {
                int at = oo * cols + oy * in.wp;
                System.arraycopy(go.data, goOff + oo * gm.l + oy * gm.ow, goWide, at, gm.ow);
                if (oy < rows - 1) {
                    Im2colPack.zero(goWide, at + gm.ow, in.wp - gm.ow);
                }
            }
        }
        Object prod = scratch(go.dtype, ntaps * gm.og, 2);
        if (gm.og <= DOT_MAX_CHANNELS && cols >= DOT_MIN_PIXELS
                && kern.dotRows(in.data, taps, ntaps, goWide, gm.og, cols, prod, accumulate)) {
            return;
        }
        Gemm.gemmInPlaceA(kern, in.data, taps, ntaps, cols, Gemm.matrix(goWide, 0, 1, cols), prod, 0, gm.og, gm.og,
                accumulate);
    }

    /** dW's rows at {@code cOff} (stride kg) = the transpose of the {@code ntaps x og} product in scratch slot 2. */
    private static void transposeProduct(Object partial, int cOff, Geo gm, int ntaps) {
        if (partial instanceof float[]) {
            float[] p = (float[]) scratch(DType.F32, ntaps * gm.og, 2);
            float[] d = (float[]) partial;
            for (int oo = 0; oo < gm.og; oo++) {
                for (int r = 0, row = cOff + oo * gm.kg; r < ntaps; r++) {
                    d[row + r] = p[r * gm.og + oo];
                }
            }
        } else {
            double[] p = (double[]) scratch(DType.F64, ntaps * gm.og, 2);
            double[] d = (double[]) partial;
            for (int oo = 0; oo < gm.og; oo++) {
                for (int r = 0, row = cOff + oo * gm.kg; r < ntaps; r++) {
                    d[row + r] = p[r * gm.og + oo];
                }
            }
        }
    }

    /** dw[i] = sum over chunks t, in order, of partial[t * part + i]. */
    private static void reducePartials(Parallel par, Object partial, int chunks, int part, Object dw) {
        int tasks = Parallel.tasksFor((long) part * chunks, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> {
            int i0 = (int) ((long) part * t / tasks);
            int i1 = (int) ((long) part * (t + 1) / tasks);
            if (dw instanceof float[]) {
                float[] p = (float[]) partial;
                float[] d = (float[]) dw;
                System.arraycopy(p, i0, d, i0, i1 - i0);
                for (int c = 1; c < chunks; c++) {
                    addF32(p, c * part, d, i0, i1);
                }
            } else {
                double[] p = (double[]) partial;
                double[] d = (double[]) dw;
                System.arraycopy(p, i0, d, i0, i1 - i0);
                for (int c = 1; c < chunks; c++) {
                    addF64(p, c * part, d, i0, i1);
                }
            }
        });
    }

    private static void addF32(float[] p, int off, float[] d, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            d[i] += p[off + i];
        }
    }

    private static void addF64(double[] p, int off, double[] d, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            d[i] += p[off + i];
        }
    }

    // ------------------------------------------------------------------------------------------ col2im

    /** First output column whose tap at input offset {@code xo} (ix = ox * sw + xo) is inside [0, W). */
    static int oxLo(int xo, int sw, int ow) {
        return Math.min(ow, xo >= 0 ? 0 : (-xo + sw - 1) / sw);
    }

    /** One past the last output column whose tap is inside [0, W). */
    static int oxHi(int xo, int sw, int w, int ow, int lo) {
        int last = w - 1 - xo;
        int hi = last < 0 ? 0 : Math.min(ow, last / sw + 1);
        return Math.max(hi, lo);
    }

    /**
     * The adjoint of im2col ({@link Im2colPack#taps}) for channels {@code [c0, c1)}: adds each column entry into the
     * input element it was read from; {@code dx} (image at {@code dxImg}) must be zeroed before the first block. Row
     * {@code r} of the columns (output rows {@code [oy0, oy1)}) starts at {@code cols[colOff + r * ld]}.
     */
    static void col2im(Object cols, int colOff, int ld, Object dx, int dxImg, Geo gm, int c0, int c1, int oy0, int oy1) {
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
        if (dx instanceof float[]) {
            float[] c = (float[]) cols;
            float[] d = (float[]) dx;
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
