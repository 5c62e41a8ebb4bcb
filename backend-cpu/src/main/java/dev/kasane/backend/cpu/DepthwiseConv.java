package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import java.util.function.IntConsumer;

/**
 * Depthwise convolutions ({@code groups = C}, one input channel per group, any channel multiplier {@code O / C}):
 * direct loops over each plane, for all three passes. A GEMM per channel would be only {@code kH * kW} deep (9 for
 * MobileNet's 3x3) and pay im2col's copy for it.
 *
 * <p>Each input plane is first laid out as its {@code sH x sW} <em>phases</em> (the padded plane's pixels whose row is
 * {@code a} modulo the stride and column {@code b} modulo the stride, each phase a small dense plane), which turns a
 * strided convolution into stride-1 ones: tap {@code (i, j)} of output pixel {@code (oy, ox)} reads phase
 * {@code (i dH mod sH, j dW mod sW)} at {@code (oy + i dH / sH, ox + j dW / sW)}. Output rows are computed
 * {@code wq} wide (the phase width: the output width plus the kernel's reach), so that one tap over the whole plane is
 * a single contiguous {@code y += w * x} of {@code oH * wq} elements that the JIT vectorizes; the extra columns are
 * dropped (forward), zero (input gradient) or multiply zeros (weight gradient).
 *
 * <ul>
 *   <li>Forward: per input plane, its phases once, then for each of its output channels the taps in row-major order.
 *   <li>Input gradient: the transposed loops, accumulated into phases that are then scattered back to the plane.
 *   <li>Weight gradient: per output channel, each tap's products summed elementwise over the images in order, then
 *       over the plane.
 * </ul>
 * Work is split by planes (or output channels for the weight gradient), each computed whole by one task, so results
 * do not depend on the thread count.
 *
 * <p>Small planes with one output channel per input channel (EfficientNet's and MobileNetV2's 8x8 to 2x2 stages at
 * 64 pixels: rows of 2 to 8 pixels, too short for a vector, and per-plane copies that cost more than the arithmetic)
 * take <em>channels-last</em> loops instead ({@link #channelsLast}): each image is transposed to {@code [H*W, C]}, and
 * every tap of every output pixel is one {@code y += w * x} along the channels, with the weights transposed to
 * {@code [kH*kW, C]}; taps on padding are skipped. The forward pass sums each output's taps in the same row-major order
 * from zero, so it equals the phase loops bit for bit (finite weights: a padding tap adds a signed zero); the weight
 * gradient sums over the images and pixels in order, per block of {@link #CHANNEL_BLOCK} channels.
 */
final class DepthwiseConv implements ConvStrategy {
    static final DepthwiseConv INSTANCE = new DepthwiseConv();

    private DepthwiseConv() {
    }

    /** Whether {@code gm} is depthwise: more than one group, each of one input channel. */
    static boolean fits(Conv.Geo gm) {
        return gm.cg == 1 && gm.g > 1;
    }

    @Override
    public String name() {
        return "depthwise";
    }

    /** The phase layout of one input plane of {@code gm}: {@code sH * sW} phases of {@code hq x wq}. */
    private static final class Phases {
        final Conv.Geo gm;
        final int hq, wq, plane, size;

        Phases(Conv.Geo gm) {
            this.gm = gm;
            this.wq = gm.ow + (gm.kw - 1) * gm.dw / gm.sw;
            // one more row than the taps reach: a wide row's last columns run on into it
            this.hq = gm.oh + (gm.kh - 1) * gm.dh / gm.sh + 1;
            this.plane = hq * wq;
            this.size = gm.sh * gm.sw * plane;
            this.runs = new Runs();
        }

        /** Output pixels per wide plane. */
        int wide() {
            return gm.oh * wq;
        }

        /** Where tap {@code (i, j)} starts reading in the phases. */
        int tap(int i, int j) {
            int vi = i * gm.dh;
            int hj = j * gm.dw;
            return (vi % gm.sh * gm.sw + hj % gm.sw) * plane + vi / gm.sh * wq + hj / gm.sw;
        }

        /**
         * Copies between the input plane {@code x[x0 ..]} ({@code h x w}) and the phases {@code p} (all of them): to the
         * phases (zero where the padded plane is padding) when {@code toPhases}, else back from them (the pixels that no
         * tap reads get zero). The runs are worked out once per call ({@link Runs}): per plane, small planes would
         * otherwise pay several integer divisions per row for a copy of two to sixteen pixels.
         */
        void transfer(Object x, int x0, Object p, boolean toPhases) {
            Runs rs = runs;
            if (toPhases) {
                Rows.zero(p, 0, size);
                for (int k = 0; k < rs.count.length; k++) {
                    Rows.copy(x, x0 + rs.planeAt[k], gm.sw, p, rs.phaseAt[k], 1, rs.count[k]);
                }
            } else {
                for (int k = 0; k < rs.count.length; k++) {
                    Rows.copy(p, rs.phaseAt[k], 1, x, x0 + rs.planeAt[k], gm.sw, rs.count[k]);
                }
                for (int k = 0; k < rs.unreadLength.length; k++) {
                    Rows.zero(x, x0 + rs.unreadAt[k], rs.unreadLength[k]);
                }
            }
        }

        private final Runs runs;

        /**
         * The runs of {@link #transfer}: run {@code k} is {@code count[k]} pixels of the plane from {@code planeAt[k]},
         * every {@code sW}-th, and as many consecutive elements of the phases from {@code phaseAt[k]}; the plane's pixels
         * that no tap reads are the runs {@code unreadAt, unreadLength}.
         */
        private final class Runs {
            final int[] planeAt, phaseAt, count, unreadAt, unreadLength;

            Runs() {
                java.util.List<int[]> copies = new java.util.ArrayList<>();
                java.util.List<int[]> unread = new java.util.ArrayList<>();
                for (int r = 0; r < gm.h; r++) {
                    int rp = r + gm.ph;
                    int y = rp / gm.sh;
                    int row = r * gm.w;
                    if (y >= hq) { // below the phases: no tap reads this row
                        unread.add(new int[] {row, gm.w});
                        continue;
                    }
                    for (int b = 0; b < gm.sw; b++) {
                        // the row's columns in phase column b: col = xq * sw + b - pw for xq in [q0, q1)
                        int q0 = (gm.pw - b + gm.sw - 1) / gm.sw;
                        int q1 = Math.min(wq, (gm.w + gm.pw - b + gm.sw - 1) / gm.sw);
                        if (q1 > q0) {
                            copies.add(new int[] {row + q0 * gm.sw + b - gm.pw,
                                ((rp % gm.sh) * gm.sw + b) * plane + y * wq + q0, q1 - q0});
                        }
                    }
                    // columns from wq * sW - pW on lie past every phase's width: no tap reads them
                    int firstUnread = Math.max(0, wq * gm.sw - gm.pw);
                    if (firstUnread < gm.w) {
                        unread.add(new int[] {row + firstUnread, gm.w - firstUnread});
                    }
                }
                planeAt = copies.stream().mapToInt(c -> c[0]).toArray();
                phaseAt = copies.stream().mapToInt(c -> c[1]).toArray();
                count = copies.stream().mapToInt(c -> c[2]).toArray();
                unreadAt = unread.stream().mapToInt(u -> u[0]).toArray();
                unreadLength = unread.stream().mapToInt(u -> u[1]).toArray();
            }
        }
    }

    /** Output planes of at most this many pixels take the channels-last loops ({@link #channelsLast}). */
    static final int CHANNELS_LAST_MAX_PIXELS = 64;
    /** ... when there are at least this many channels to run along (one F32 vector run of {@link Rows#mulAdd}). */
    static final int CHANNELS_LAST_MIN_CHANNELS = 32;
    /** Channels per task of the channels-last weight gradient (a function of nothing but this constant). */
    static final int CHANNEL_BLOCK = 64;

    /**
     * Whether {@code gm} takes the channels-last loops: one output channel per input channel, output planes of at most
     * {@link #CHANNELS_LAST_MAX_PIXELS} pixels and at least {@link #CHANNELS_LAST_MIN_CHANNELS} channels.
     */
    static boolean channelsLast(Conv.Geo gm) {
        return gm.og == 1 && gm.l <= CHANNELS_LAST_MAX_PIXELS && gm.c >= CHANNELS_LAST_MIN_CHANNELS;
    }

    @Override
    public void forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, Object out) {
        if (channelsLast(gm)) {
            forwardChannelsLast(par, x, wt, gm, out);
        } else {
            forwardPhases(par, x, wt, gm, out);
        }
    }

    /** The forward pass by the phase loops (any depthwise geometry). */
    static void forwardPhases(Parallel par, View x, View wt, Conv.Geo gm, Object out) {
        Phases ph = new Phases(gm);
        int[] offsets = new int[gm.khw];
        for (int t = 0; t < gm.khw; t++) {
            offsets[t] = ph.tap(t / gm.kw, t % gm.kw);
        }
        forEachPlane(par, ph, x.dtype, (p, phases, wide) -> {
            ph.transfer(x.data, x.offset + p * gm.h * gm.w, phases, true);
            for (int o = p % gm.c * gm.og, oEnd = o + gm.og; o < oEnd; o++) {
                // all taps at once, in row-major order: the sums stay in registers
                Rows.taps(wt.data, wt.offset + o * gm.khw, offsets, phases, wide, ph.wide());
                int outPlane = (p / gm.c * gm.o + o) * gm.l;
                for (int oy = 0; oy < gm.oh; oy++) {
                    Rows.copy(wide, oy * ph.wq, 1, out, outPlane + oy * gm.ow, 1, gm.ow);
                }
            }
        });
    }

    @Override
    public void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Object out) {
        Phases ph = new Phases(gm);
        forEachPlane(par, ph, go.dtype, (p, phases, wide) -> {
            Rows.zero(phases, 0, ph.size);
            for (int o = p % gm.c * gm.og, oEnd = o + gm.og; o < oEnd; o++) {
                widen(go, (p / gm.c * gm.o + o) * gm.l, gm, ph, wide);
                transposedTaps(wt, o, ph, phases, wide);
            }
            ph.transfer(out, p * gm.h * gm.w, phases, false);
        });
    }

    @Override
    public void weightGrad(Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm, Object out) {
        if (channelsLast(gm)) {
            weightGradChannelsLast(par, x, go, gm, out);
        } else {
            weightGradPhases(par, x, go, gm, out);
        }
    }

    /** The weight gradient by the phase loops (any depthwise geometry). */
    static void weightGradPhases(Parallel par, View x, View go, Conv.Geo gm, Object out) {
        Phases ph = new Phases(gm);
        int hw = gm.h * gm.w;
        int len = ph.wide();
        forEach(par, gm.o, (long) gm.n * gm.l * gm.khw, o -> {
            Object phases = Conv.scratch(x.dtype, ph.size, 0);
            Object wide = Conv.scratch(x.dtype, len, 1);
            Object products = Conv.scratch(x.dtype, gm.khw * len, 2);
            Rows.zero(products, 0, gm.khw * len);
            for (int n = 0; n < gm.n; n++) {
                ph.transfer(x.data, x.offset + (n * gm.c + o / gm.og) * hw, phases, true);
                widen(go, (n * gm.o + o) * gm.l, gm, ph, wide);
                for (int t = 0; t < gm.khw; t++) {
                    Rows.mulAdd(wide, 0, phases, ph.tap(t / gm.kw, t % gm.kw), products, t * len, len);
                }
            }
            for (int t = 0; t < gm.khw; t++) {
                Rows.set(out, o * gm.khw + t, Rows.sum(products, t * len, len));
            }
        });
    }

    /** The channels-last forward pass ({@link #channelsLast}): per image, transpose, taps along the channels, transpose back. */
    static void forwardChannelsLast(Parallel par, View x, View wt, Conv.Geo gm, Object out) {
        int c = gm.c;
        int hw = gm.h * gm.w;
        Object wT = transposedWeights(wt, gm);
        PixelTaps pt = new PixelTaps(gm);
        forEach(par, gm.n, (long) c * gm.l * gm.khw, n -> {
            Object xt = Conv.scratch(x.dtype, hw * c, 0);
            Object ot = Conv.scratch(x.dtype, gm.l * c, 1);
            CopyKernels.transposeTile(x.dtype, x.data, x.offset + n * c * hw, hw, xt, 0, c, hw, c);
            Rows.zero(ot, 0, gm.l * c);
            for (int p = 0; p < gm.l; p++) {
                for (int q = pt.first[p]; q < pt.first[p + 1]; q++) {
                    Rows.mulAdd(wT, pt.tap[q] * c, xt, pt.input[q] * c, ot, p * c, c);
                }
            }
            CopyKernels.transposeTile(x.dtype, ot, 0, c, out, n * c * gm.l, gm.l, c, gm.l);
        });
    }

    /**
     * The channels-last weight gradient ({@link #channelsLast}): the images and gradOut transposed to {@code [H*W, C]},
     * then per block of {@link #CHANNEL_BLOCK} channels, {@code dW^T[t] += gradOut'[p] * x'[tap t of p]} along the
     * channels over the images and output pixels in order, transposed into {@code out} {@code [C, kH*kW]}.
     */
    static void weightGradChannelsLast(Parallel par, View x, View go, Conv.Geo gm, Object out) {
        int c = gm.c;
        int hw = gm.h * gm.w;
        HostArrayPool pool = HostArrayPool.shared();
        Object xt = pool.takeUninitialized(x.dtype, gm.n * hw * c);
        Object gt = pool.takeUninitialized(x.dtype, gm.n * gm.l * c);
        forEach(par, gm.n, (long) c * (hw + gm.l), n -> {
            CopyKernels.transposeTile(x.dtype, x.data, x.offset + n * c * hw, hw, xt, n * hw * c, c, hw, c);
            CopyKernels.transposeTile(go.dtype, go.data, go.offset + n * c * gm.l, gm.l, gt, n * gm.l * c, c, gm.l, c);
        });
        PixelTaps pt = new PixelTaps(gm);
        int blocks = (c + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        forEach(par, blocks, (long) gm.n * gm.l * gm.khw * CHANNEL_BLOCK, b -> {
            int c0 = b * CHANNEL_BLOCK;
            int cb = Math.min(CHANNEL_BLOCK, c - c0);
            Object acc = Conv.scratch(x.dtype, gm.khw * cb, 2);
            Rows.zero(acc, 0, gm.khw * cb);
            for (int n = 0; n < gm.n; n++) {
                for (int p = 0; p < gm.l; p++) {
                    for (int q = pt.first[p]; q < pt.first[p + 1]; q++) {
                        Rows.mulAdd(gt, (n * gm.l + p) * c + c0, xt, (n * hw + pt.input[q]) * c + c0, acc, pt.tap[q] * cb,
                                cb);
                    }
                }
            }
            CopyKernels.transposeTile(x.dtype, acc, 0, cb, out, c0 * gm.khw, gm.khw, cb, gm.khw);
        });
        pool.give(xt);
        pool.give(gt);
    }

    /**
     * The taps of each output pixel that fall inside the input plane, in row-major order: pixel {@code p}'s are entries
     * {@code [first[p], first[p + 1])}, tap {@code tap[q]} (index {@code i * kW + j}) reading input pixel
     * {@code input[q]} ({@code iy * W + ix}).
     */
    private static final class PixelTaps {
        final int[] first;
        final int[] tap;
        final int[] input;

        PixelTaps(Conv.Geo gm) {
            first = new int[gm.l + 1];
            int[] taps = new int[gm.l * gm.khw];
            int[] inputs = new int[gm.l * gm.khw];
            int q = 0;
            for (int oy = 0, p = 0; oy < gm.oh; oy++) {
                for (int ox = 0; ox < gm.ow; ox++, p++) {
                    first[p] = q;
                    for (int i = 0; i < gm.kh; i++) {
                        int iy = oy * gm.sh - gm.ph + i * gm.dh;
                        for (int j = 0; j < gm.kw && iy >= 0 && iy < gm.h; j++) {
                            int ix = ox * gm.sw - gm.pw + j * gm.dw;
                            if (ix >= 0 && ix < gm.w) {
                                taps[q] = i * gm.kw + j;
                                inputs[q++] = iy * gm.w + ix;
                            }
                        }
                    }
                }
            }
            first[gm.l] = q;
            tap = java.util.Arrays.copyOf(taps, q);
            input = java.util.Arrays.copyOf(inputs, q);
        }
    }

    /** The weight {@code [C, 1, kH, kW]} (dense) as {@code [kH*kW, C]}. */
    private static Object transposedWeights(View wt, Conv.Geo gm) {
        Object wT = wt.dtype.newHostArray(gm.khw * gm.c);
        CopyKernels.transposeTile(wt.dtype, wt.data, wt.offset, gm.khw, wT, 0, gm.c, gm.khw, gm.c);
        return wT;
    }

    /**
     * Adds output channel {@code o}'s taps, transposed, in row-major order: each tap's weight times the wide plane into
     * the phases (at the tap's offset).
     */
    private static void transposedTaps(View wt, int o, Phases ph, Object phases, Object wide) {
        Conv.Geo gm = ph.gm;
        for (int i = 0; i < gm.kh; i++) {
            for (int j = 0; j < gm.kw; j++) {
                double w = Rows.get(wt.data, wt.offset + o * gm.khw + i * gm.kw + j);
                Rows.axpy(w, wide, 0, phases, ph.tap(i, j), ph.wide());
            }
        }
    }

    /** The gradOut plane at {@code go[offset + plane]} as {@code oH} rows {@code wq} wide, zero past {@code oW}. */
    private static void widen(View go, int plane, Conv.Geo gm, Phases ph, Object wide) {
        Rows.zero(wide, 0, ph.wide());
        for (int oy = 0; oy < gm.oh; oy++) {
            Rows.copy(go.data, go.offset + plane + oy * gm.ow, 1, wide, oy * ph.wq, 1, gm.ow);
        }
    }

    /** The work of one input plane {@code p} (image {@code p / C}, channel {@code p % C}) with its scratch buffers. */
    private interface PlaneTask {
        void run(int p, Object phases, Object wide);
    }

    /**
     * Runs {@code task} for each of the {@code N * C} input planes, with scratch for the plane's phases and one wide
     * plane: the loop of the forward pass and of the input gradient, whose work per plane is its output channels' taps.
     */
    private static void forEachPlane(Parallel par, Phases ph, DType dt, PlaneTask task) {
        Conv.Geo gm = ph.gm;
        forEach(par, gm.n * gm.c, (long) gm.og * gm.l * gm.khw,
                p -> task.run(p, Conv.scratch(dt, ph.size, 0), Conv.scratch(dt, ph.wide(), 1)));
    }

    /** Runs {@code unit} for {@code 0 <= u < units} of {@code work} multiply-adds each, in contiguous chunks. */
    private static void forEach(Parallel par, int units, long work, IntConsumer unit) {
        int tasks = Parallel.tasksFor(units * work, CpuBackend.GRAIN, Math.min(units, 64));
        par.run(tasks, t -> {
            for (int u = (int) ((long) units * t / tasks), end = (int) ((long) units * (t + 1) / tasks); u < end; u++) {
                unit.accept(u);
            }
        });
    }

    /** The loops over a run of elements, per dtype: the only code here that knows {@code float[]} from {@code double[]}. */
    static final class Rows {
        /** F32 runs shorter than this take the inlined scalar loop: a vector call would not pay for itself. */
        private static final int SHORT = 32;
        /**
         * Stride-2 phase rows of at least this many elements take the vector shuffles: one shuffled pair already beats
         * the scalar loop (MobileNetV2's first stride-2 layer has rows of 16).
         */
        private static final int EVERY_OTHER_MIN = 8;

        private Rows() {
        }

        static double get(Object a, int i) {
            return a instanceof float[] f ? f[i] : ((double[]) a)[i];
        }

        static void set(Object a, int i, double v) {
            if (a instanceof float[] f) {
                f[i] = (float) v;
            } else {
                ((double[]) a)[i] = v;
            }
        }

        static void zero(Object a, int from, int n) {
            if (a instanceof float[] f) {
                java.util.Arrays.fill(f, from, from + n, 0f);
            } else {
                java.util.Arrays.fill((double[]) a, from, from + n, 0.0);
            }
        }

        /** {@code d[d0 + q * ds] = s[s0 + q * ss]} for {@code q < n}. */
        static void copy(Object s, int s0, int ss, Object d, int d0, int ds, int n) {
            if (ss == 1 && ds == 1) {
                // typed arrays: the JIT's arraycopy stub for a known element type, not the generic checked copy
                if (d instanceof float[] df) {
                    System.arraycopy((float[]) s, s0, df, d0, n);
                } else {
                    System.arraycopy((double[]) s, s0, (double[]) d, d0, n);
                }
            } else if (d instanceof float[] df && ss == 2 && ds == 1 && n >= EVERY_OTHER_MIN) {
                VectorSupport.rowsF32().everyOther((float[]) s, s0, df, d0, n); // to a stride-2 convolution's phases
            } else if (d instanceof float[] df) {
                float[] sf = (float[]) s;
                for (int q = 0; q < n; q++) {
                    df[d0 + q * ds] = sf[s0 + q * ss];
                }
            } else {
                double[] sd = (double[]) s;
                double[] dd = (double[]) d;
                for (int q = 0; q < n; q++) {
                    dd[d0 + q * ds] = sd[s0 + q * ss];
                }
            }
        }

        /** {@code d[d0 + q] += w * s[s0 + q]} for {@code q < n}. */
        static void axpy(double w, Object s, int s0, Object d, int d0, int n) {
            if (d instanceof float[] df && n >= SHORT) {
                VectorSupport.rowsF32().axpy((float) w, (float[]) s, s0, df, d0, n);
            } else if (d instanceof float[] df) {
                float[] sf = (float[]) s;
                for (int q = 0; q < n; q++) {
                    df[d0 + q] += (float) w * sf[s0 + q];
                }
            } else {
                double[] sd = (double[]) s;
                double[] dd = (double[]) d;
                for (int q = 0; q < n; q++) {
                    dd[d0 + q] += w * sd[s0 + q];
                }
            }
        }

        /** {@code d[d0 + q] += a[a0 + q] * b[b0 + q]} for {@code q < n}. */
        static void mulAdd(Object a, int a0, Object b, int b0, Object d, int d0, int n) {
            if (d instanceof float[] df && n >= SHORT) {
                VectorSupport.rowsF32().mulAdd((float[]) a, a0, (float[]) b, b0, df, d0, n);
            } else if (d instanceof float[] df) {
                float[] af = (float[]) a;
                float[] bf = (float[]) b;
                for (int q = 0; q < n; q++) {
                    df[d0 + q] += af[a0 + q] * bf[b0 + q];
                }
            } else {
                double[] ad = (double[]) a;
                double[] bd = (double[]) b;
                double[] dd = (double[]) d;
                for (int q = 0; q < n; q++) {
                    dd[d0 + q] += ad[a0 + q] * bd[b0 + q];
                }
            }
        }

        /**
         * {@code d[q] = sum_t w[w0 + t] * s[off[t] + q]} for {@code q < n}, the taps in order from zero, each product
         * rounded and then added: what {@link #axpy} once per tap into a zeroed {@code d} computes.
         */
        static void taps(Object w, int w0, int[] off, Object s, Object d, int n) {
            if (d instanceof float[] df) { // short runs: the vector kernel hands them to the scalar loop at once
                VectorSupport.rowsF32().taps((float[]) w, w0, off, (float[]) s, 0, df, 0, n);
            } else {
                double[] wd = (double[]) w;
                double[] sd = (double[]) s;
                double[] dd = (double[]) d;
                for (int q = 0; q < n; q++) {
                    double acc = 0;
                    for (int t = 0; t < off.length; t++) {
                        acc += wd[w0 + t] * sd[off[t] + q];
                    }
                    dd[q] = acc;
                }
            }
        }

        /** {@code sum_q a[from + q]} for {@code q < n}, in order, in the array's precision. */
        static double sum(Object a, int from, int n) {
            if (a instanceof float[] f) {
                float s = 0;
                for (int q = 0; q < n; q++) {
                    s += f[from + q];
                }
                return s;
            }
            double[] d = (double[]) a;
            double s = 0;
            for (int q = 0; q < n; q++) {
                s += d[from + q];
            }
            return s;
        }
    }
}
