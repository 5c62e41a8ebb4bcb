package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * 3x3 stride-1 F32 convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): each 2x2 tile of output pixels is {@code A^T [sum_c (G g G^T) (.) (B^T d B)] A}
 * over the 4x4 input tile {@code d} under it, so the 36 multiplications per tile and channel pair become 16, done as
 * 16 GEMMs ({@code O x C} transformed weights times {@code C x tiles} transformed inputs), one per tile position
 * {@code xi}. The transforms take only additions and halvings, whose rounding keeps results within a few units in the
 * last place of the direct sum.
 *
 * <p>Work units are fixed ranges of tiles (in image, tile-row, tile-column order) small enough that a unit's
 * transformed inputs and GEMM outputs stay in the core's L2; each unit transforms its inputs, runs the 16 GEMMs with
 * the shared packed weights, and transforms its outputs into the result. The ranges depend on the problem size only,
 * so results do not depend on the thread count. Used by {@link Conv} for the forward pass and, through its forward
 * form, the input gradient; {@code -Dkasane.cpu.conv.winograd=false} turns it off.
 */
final class Winograd {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("kasane.cpu.conv.winograd", "true").trim());
    /**
     * Fewer channels than this on either side make the 16 GEMMs (depth = input channels) too thin to beat the direct
     * convolution (measured: U-Net's 32-channel 32x32 layers 35 % slower).
     */
    static final int MIN_CHANNELS = 64;
    /**
     * Fewer tiles than this do not pay for the per-call weight transform (16 values per channel pair, packed 16 times):
     * ResNet's 256-channel 8x8 stage (256 tiles) only broke even, its 512-channel 4x4 stage (64 tiles) took 1.6x the
     * direct time.
     */
    static final int MIN_TILES = 1024;
    /**
     * {@link #MIN_TILES} for a fixed weight ({@link WeightPacks} keeps its transform): fewer tiles than this fill one
     * unit, run on one thread. Measured at batch 1 (2-core AVX-512 machine, JDK 25, kept transforms, best of 1 s):
     * 256 channels at 12x12 (36 tiles) 0.68/0.57 ms against 0.76/0.73 direct, at 10x10 (25 tiles) 0.62/0.59 against
     * 0.51/0.45; batch-1 ResNet-50's 3x3 stages at 56, 28 and 14 pixels 1.5-1.9 times as fast as direct, its 7x7
     * stage (16 tiles) 1.4-2 times as slow.
     */
    static final int MIN_TILES_FIXED = 36;
    /**
     * Elements of transformed inputs plus GEMM outputs per unit: 256 KB of F32, a quarter of one core's L2 (the
     * packed weights and the output planes need the rest; units of a whole L2 ran 10-20 % slower in the median).
     */
    private static final int UNIT_ELEMS = 1 << 16;
    /** The 16 positions of a 4x4 transformed tile. */
    private static final int XI = 16;

    private Winograd() {
    }

    /** Whether the Winograd kernel exists for {@code dt}: F32 with the Vector API, unless turned off. */
    static boolean available(DType dt) {
        return ENABLED && dt == DType.F32 && VectorSupport.winogradF32() != null;
    }

    /**
     * Whether {@link #conv2d} computes this convolution and pays off: 3x3, stride 1, no dilation, no groups, at least
     * {@link #MIN_CHANNELS} channels on both sides and {@link #MIN_TILES} output tiles, or {@link #MIN_TILES_FIXED} for
     * a {@code fixedWeight} (with {@link #available}).
     */
    static boolean fits(Conv.Geo gm, boolean fixedWeight) {
        return gm.kh == 3 && gm.kw == 3 && gm.sh == 1 && gm.sw == 1 && gm.dh == 1 && gm.dw == 1 && gm.g == 1
                && gm.c >= MIN_CHANNELS && gm.o >= MIN_CHANNELS
                && (long) gm.n * ((gm.oh + 1) / 2) * ((gm.ow + 1) / 2) >= (fixedWeight ? MIN_TILES_FIXED : MIN_TILES);
    }

    /** What the forward pass packs from a weight {@code [o, c, 3, 3]} at {@code offset} ({@link WeightPacks}). */
    private record ForwardPacking(GemmKernel kern, Transforms tr, int offset, int c, int o) {
    }

    /** The forward convolution of dense F32 {@code x} {@code [n, c, h, w]} with dense {@code wt} {@code [o, c, 3, 3]}. */
    static void conv2d(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, float[] out) {
        conv2d(par, kern, VectorSupport.winogradF32(), x, wt, gm, out);
    }

    /** {@link #conv2d(Parallel, GemmKernel, View, View, Conv.Geo, float[])} with the given transforms (any 3x3 stride-1 shape). */
    static void conv2d(Parallel par, GemmKernel kern, Transforms tr, View x, View wt, Conv.Geo gm, float[] out) {
        try (WeightPacks.Lease<Gemm.PackedA[]> u = WeightPacks.lease(wt, new ForwardPacking(kern, tr, wt.offset, gm.c, gm.o),
                () -> {
                    // T[xi][c][o]: each GEMM's A (o x c) read down its columns, which packs fastest
                    float[] t = transformWeights(par, tr, (float[]) wt.data, wt.offset, gm.c, 9, gm.o, gm.c * 9);
                    Gemm.PackedA[] p = new Gemm.PackedA[XI];
                    for (int xi = 0; xi < XI; xi++) {
                        p[xi] = Gemm.packA(par, kern, t, xi * gm.o * gm.c, 1, gm.o, gm.o, gm.c);
                    }
                    return p;
                }, Gemm.PackedA::release)) {
            run(par, kern, tr, u.value(), x, gm, out);
        }
    }

    /**
     * The input gradient of a convolution with dense F32 weight {@code wt} {@code [gm.c, gm.o, 3, 3]}, as the forward
     * convolution {@code gm} of the dense gradient {@code go} {@code [n, gm.c, ...]} with the flipped, transposed
     * kernel, whose transform comes from the weight's own: flipping a 3x3 kernel {@code g} exchanges rows and columns
     * 0 and 3 of {@code G g G^T}.
     */
    static void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, float[] out) {
        inputGrad(par, kern, VectorSupport.winogradF32(), go, wt, gm, out);
    }

    /** {@link #inputGrad(Parallel, GemmKernel, View, View, Conv.Geo, float[])} with the given transforms. */
    static void inputGrad(Parallel par, GemmKernel kern, Transforms tr, View go, View wt, Conv.Geo gm, float[] out) {
        // T[xi][a][b] of the weight's w[a][b]: here A[i][k] = T[xi][k][i], again read down its columns
        float[] t = transformWeights(par, tr, (float[]) wt.data, wt.offset, gm.c, gm.o * 9, gm.o, 9);
        Gemm.PackedA[] u = new Gemm.PackedA[XI];
        for (int xi = 0; xi < XI; xi++) {
            int flipped = 4 * FLIP[xi / 4] + FLIP[xi % 4];
            u[xi] = Gemm.packA(par, kern, t, flipped * gm.o * gm.c, 1, gm.o, gm.o, gm.c);
        }
        run(par, kern, tr, u, go, gm, out);
        Gemm.PackedA.release(u);
    }

    /** Rows and columns of {@code G g G^T} that flipping {@code g} exchanges. */
    private static final int[] FLIP = {3, 1, 2, 0};

    /** Writes every output pixel of {@code out} [n, o, oh, ow]: each tile's outputs are stored, not added. */
    private static void run(Parallel par, GemmKernel kern, Transforms tr, Gemm.PackedA[] u, View x, Conv.Geo gm, float[] out) {
        int th = (gm.oh + 1) / 2;
        int tw = (gm.ow + 1) / 2;
        int tiles = gm.n * th * tw;
        int perUnit = tilesPerUnit(kern, gm.c, gm.o, tiles);
        int units = (tiles + perUnit - 1) / perUnit;
        long flops = 2L * XI * gm.o * gm.c * tiles;
        boolean serial = flops < (1L << 20);
        par.run(serial ? 1 : units, u0 -> {
            for (int t = serial ? 0 : u0; t < (serial ? units : u0 + 1); t++) {
                int t0 = t * perUnit;
                unit(kern, tr, u, (float[]) x.data, x.offset, out, gm, th, tw, t0, Math.min(tiles, t0 + perUnit));
            }
        });
    }

    /**
     * Tiles per unit: as many as keep {@code 16 * (c + o)} elements per tile within {@link #UNIT_ELEMS}, a multiple of
     * the micro-kernel's {@code nr} columns (at least one panel), and no more than an even share of the tiles.
     */
    private static int tilesPerUnit(GemmKernel kern, int c, int o, int tiles) {
        int fit = Math.max(kern.nr, UNIT_ELEMS / (XI * (c + o)) / kern.nr * kern.nr);
        return Math.min(fit, Math.max(kern.nr, (tiles + kern.nr - 1) / kern.nr * kern.nr));
    }

    /**
     * The calling thread's transformed weights, kept for the next call: a fresh 16 MB array per call (ResNet's last
     * stage) cost more in page faults than the transform itself. Only read while the call runs (packed at once).
     */
    private static final ThreadLocal<float[]> WEIGHTS = ThreadLocal.withInitial(() -> new float[0]);

    /** Lanes of kernels that {@link #transformWeights} gathers per call of {@link Transforms#weights}. */
    private static final int KERNELS = 64;

    /**
     * {@code T[xi][r][l] = (G g G^T)[xi]} for the 3x3 kernels {@code g = w[wOff + r * rowStride + l * laneStride ..]}
     * ({@code r < rows}, {@code l < lanes}), {@code G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]}: 16 planes of
     * {@code rows x lanes}, split over the rows.
     */
    private static float[] transformWeights(Parallel par, Transforms tr, float[] w, int wOff, int rows, int rowStride,
            int lanes, int laneStride) {
        int plane = rows * lanes;
        float[] t = WEIGHTS.get();
        if (t.length < XI * plane) {
            t = new float[XI * plane];
            WEIGHTS.set(t);
        }
        float[] tf = t;
        int tasks = Parallel.tasksFor((long) plane * 9, CpuBackend.GRAIN, rows);
        par.run(tasks, task -> {
            float[] g = new float[9 * KERNELS];
            for (int r = rows * task / tasks; r < rows * (task + 1) / tasks; r++) {
                for (int l0 = 0; l0 < lanes; l0 += KERNELS) {
                    int count = Math.min(KERNELS, lanes - l0);
                    for (int i = 0; i < count; i++) {
                        int src = wOff + r * rowStride + (l0 + i) * laneStride;
                        for (int k = 0; k < 9; k++) {
                            g[k * KERNELS + i] = w[src + k];
                        }
                    }
                    tr.weights(g, KERNELS, count, tf, r * lanes + l0, plane);
                }
            }
        });
        return t;
    }

    /** Tiles {@code [t0, t1)}: transform their inputs, multiply, transform the products into {@code out}. */
    private static void unit(GemmKernel kern, Transforms tr, Gemm.PackedA[] u, float[] x, int xOff, float[] out,
            Conv.Geo gm, int th, int tw, int t0, int t1) {
        int cols = t1 - t0;
        int ld = cols + kern.nr; // each row of V readable nr - 1 elements past its end (Gemm.gemmInPlace)
        int vPlane = gm.c * ld;
        int mPlane = gm.o * cols;
        float[] v = (float[]) Conv.scratch(DType.F32, XI * vPlane, 0);
        float[] m = (float[]) Conv.scratch(DType.F32, XI * mPlane, 1);
        Tiles tiles = Tiles.get(cols, tr.lanes());
        // the unit's runs of tiles along one tile row: image, tile row, first tile column, length
        int runs = 0;
        for (int t = t0; t < t1; runs++) {
            int len = Math.min(tw - t % tw, t1 - t);
            tiles.run(runs, t / (th * tw), t / tw % th, t % tw, len);
            t += len;
        }
        int plane = gm.h * gm.w;
        for (int cc = 0; cc < gm.c; cc++) {
            for (int q = 0, j = 0; q < runs; j += tiles.len[q], q++) {
                tiles.load(tr, x, xOff + (tiles.img[q] * gm.c + cc) * plane, gm, 2 * tiles.ty[q] - gm.ph,
                        2 * tiles.tx[q] - gm.pw, tiles.len[q], j);
            }
            tr.input(tiles.d, tiles.stride, v, cc * ld, vPlane, 0, cols);
        }
        int[] rows = new int[gm.c];
        for (int xi = 0; xi < XI; xi++) {
            for (int cc = 0; cc < gm.c; cc++) {
                rows[cc] = xi * vPlane + cc * ld;
            }
            Gemm.gemmInPlace(kern, u[xi], v, rows, m, xi * mPlane, cols, cols);
        }
        for (int oo = 0; oo < gm.o; oo++) {
            tr.output(m, oo * cols, mPlane, tiles.y, tiles.stride, 0, cols);
            for (int q = 0, j = 0; q < runs; j += tiles.len[q], q++) {
                tiles.store(tr, out, (tiles.img[q] * gm.o + oo) * gm.l, gm, 2 * tiles.ty[q], 2 * tiles.tx[q], tiles.len[q], j);
            }
        }
    }

    /**
     * One thread's working rows for the tiles of a unit: the 4x4 input values of each tile as 16 rows over the tiles
     * (so that every transform step is a unit-stride loop over all the unit's tiles, whatever the plane width), the
     * four output values of each tile, and the unit's runs of tiles along a tile row. Rows are {@code stride} apart,
     * {@link Transforms#lanes} more than the tiles they hold, so that the transforms' (de)interleaving can always
     * move whole vectors: a run's extra tiles land in the next run's place (loaded after it) or in that margin.
     */
    private static final class Tiles {
        private static final ThreadLocal<Tiles> LOCAL = new ThreadLocal<>();
        final int cap;
        final int lanes;
        final int stride;
        /** Input row r, column q of tile j at {@code d[(4r + q) * stride + j]}. */
        final float[] d;
        /** Output (a, b) of tile j at {@code y[(2a + b) * stride + j]}. */
        final float[] y;
        /** One input row of a run, zero-padded outside the plane, and room for whole vectors past it. */
        final float[] in;
        /** One output row of a run, and room for whole vectors past it. */
        final float[] out;
        /** Run i: image, tile row, first tile column, tiles. */
        final int[] img;
        final int[] ty;
        final int[] tx;
        final int[] len;

        private Tiles(int cap, int lanes) {
            this.cap = cap;
            this.lanes = lanes;
            this.stride = cap + lanes;
            this.d = new float[XI * stride];
            this.y = new float[4 * stride];
            this.in = new float[2 * stride + 2];
            this.out = new float[2 * stride];
            this.img = new int[cap];
            this.ty = new int[cap];
            this.tx = new int[cap];
            this.len = new int[cap];
        }

        static Tiles get(int cap, int lanes) {
            Tiles s = LOCAL.get();
            if (s == null || s.cap < cap || s.lanes != lanes) {
                s = new Tiles(cap, lanes);
                LOCAL.set(s);
            }
            return s;
        }

        void run(int i, int image, int tileRow, int tileCol, int tiles) {
            img[i] = image;
            ty[i] = tileRow;
            tx[i] = tileCol;
            len[i] = tiles;
        }

        /**
         * The 4x4 inputs of {@code len} tiles along a tile row, from rows {@code y0 .. y0 + 3} and columns
         * {@code x0 .. x0 + 2 len + 1} of the plane at {@code plane} (zero outside it: the padding), as tiles
         * {@code j0 ..}. Each row is first copied into {@link #in} with its padding, so that all the run's tiles
         * (de)interleave alike.
         */
        void load(Transforms tr, float[] x, int plane, Conv.Geo gm, int y0, int x0, int len, int j0) {
            int span = 2 * len + 2;
            // in[k] = x[row + x0 + k] for k in [k0, k1): the columns inside [0, w)
            int k0 = Math.min(span, Math.max(0, -x0));
            int k1 = Math.max(k0, Math.min(span, gm.w - x0));
            for (int r = 0; r < 4; r++) {
                int yy = y0 + r;
                int at = 4 * r * stride + j0;
                if (yy < 0 || yy >= gm.h) {
                    for (int q = 0; q < 4; q++) {
                        java.util.Arrays.fill(d, at + q * stride, at + q * stride + len, 0f);
                    }
                    continue;
                }
                java.util.Arrays.fill(in, 0, k0, 0f);
                System.arraycopy(x, plane + yy * gm.w + x0 + k0, in, k0, k1 - k0);
                java.util.Arrays.fill(in, k1, span, 0f);
                tr.deinterleave(in, 0, d, at, d, at + stride, len);
                tr.deinterleave(in, 2, d, at + 2 * stride, d, at + 3 * stride, len);
            }
        }

        /**
         * Outputs of tiles {@code j0 .. j0 + len - 1} into the output plane at {@code plane}, rows from {@code oy},
         * columns from {@code ox} (through {@link #out}: whole vectors, then the columns inside the plane).
         */
        void store(Transforms tr, float[] dst, int plane, Conv.Geo gm, int oy, int ox, int len, int j0) {
            int cols = Math.min(2 * len, gm.ow - ox); // one fewer when the plane's width is odd
            for (int a = 0; a < 2 && oy + a < gm.oh; a++) {
                int y0 = 2 * a * stride + j0;
                tr.interleave(y, y0, y, y0 + stride, out, 0, len);
                System.arraycopy(out, 0, dst, plane + (oy + a) * gm.ow + ox, cols);
            }
        }
    }

    /**
     * The data movement and transforms of a strip of tiles, scalar; {@link VectorSupport#winogradF32} gives the
     * Vector API subclass, which handles whole vectors of tiles and leaves the rest to these methods (but
     * (de)interleaves whole vectors only: see {@link #lanes}).
     */
    static class Transforms {
        /**
         * {@code t[p + xi * plane + i] = (G g_i G^T)[xi]} for the kernels {@code i < count} whose tap {@code k} (row
         * major) is {@code g[k * cap + i]}, {@code G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]}.
         */
        void weights(float[] g, int cap, int count, float[] t, int p, int plane) {
            weights(g, cap, 0, count, t, p, plane);
        }

        /** {@link #weights(float[], int, int, float[], int, int)} for kernels {@code [i0, count)}. */
        final void weights(float[] g, int cap, int i0, int count, float[] t, int p, int plane) {
            for (int i = i0; i < count; i++) {
                for (int r = 0; r < 4; r++) {
                    // row r of G g (over the kernel's columns), then times G^T
                    float r0 = gRow(r, g[i], g[3 * cap + i], g[6 * cap + i]);
                    float r1 = gRow(r, g[cap + i], g[4 * cap + i], g[7 * cap + i]);
                    float r2 = gRow(r, g[2 * cap + i], g[5 * cap + i], g[8 * cap + i]);
                    int q = p + i + 4 * r * plane;
                    t[q] = r0;
                    t[q + plane] = (r0 + r1 + r2) * 0.5f;
                    t[q + 2 * plane] = (r0 - r1 + r2) * 0.5f;
                    t[q + 3 * plane] = r2;
                }
            }
        }

        /** Row {@code i} of {@code G} times the column {@code (g0, g1, g2)}. */
        private static float gRow(int i, float g0, float g1, float g2) {
            switch (i) {
                case 0:
                    return g0;
                case 1:
                    return (g0 + g1 + g2) * 0.5f;
                case 2:
                    return (g0 - g1 + g2) * 0.5f;
                default:
                    return g2;
            }
        }

        /**
         * Tiles that {@link #deinterleave} and {@link #interleave} move at a time: they handle {@code count} rounded
         * up to a multiple of it (1 here), so callers leave room for the extra ones.
         */
        int lanes() {
            return 1;
        }

        /**
         * {@code even[e + j] = x[at + 2j]}, {@code odd[o + j] = x[at + 2j + 1]} for {@code j < count} rounded up to
         * {@link #lanes}.
         */
        void deinterleave(float[] x, int at, float[] even, int e, float[] odd, int o, int count) {
            for (int j = 0; j < count; j++) {
                even[e + j] = x[at + 2 * j];
                odd[o + j] = x[at + 2 * j + 1];
            }
        }

        /**
         * {@code out[at + 2j] = a[ao + j]}, {@code out[at + 2j + 1] = b[bo + j]} for {@code j < count} rounded up to
         * {@link #lanes}.
         */
        void interleave(float[] a, int ao, float[] b, int bo, float[] out, int at, int count) {
            for (int j = 0; j < count; j++) {
                out[at + 2 * j] = a[ao + j];
                out[at + 2 * j + 1] = b[bo + j];
            }
        }

        /**
         * {@code V = B^T d B} of tiles {@code [j0, len)}, {@code B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]}, where
         * input row r, column q of tile j is {@code d[(4r + q) * cap + j]}: position {@code xi} of tile j at
         * {@code v[at + xi * plane + j]}.
         */
        void input(float[] d, int cap, float[] v, int at, int plane, int j0, int len) {
            for (int j = j0; j < len; j++) {
                // d B for rows 0..3: columns (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
                float a0 = d[j] - d[2 * cap + j], a1 = d[cap + j] + d[2 * cap + j];
                float a2 = d[2 * cap + j] - d[cap + j], a3 = d[cap + j] - d[3 * cap + j];
                float b0 = d[4 * cap + j] - d[6 * cap + j], b1 = d[5 * cap + j] + d[6 * cap + j];
                float b2 = d[6 * cap + j] - d[5 * cap + j], b3 = d[5 * cap + j] - d[7 * cap + j];
                float c0 = d[8 * cap + j] - d[10 * cap + j], c1 = d[9 * cap + j] + d[10 * cap + j];
                float c2 = d[10 * cap + j] - d[9 * cap + j], c3 = d[9 * cap + j] - d[11 * cap + j];
                float d0 = d[12 * cap + j] - d[14 * cap + j], d1 = d[13 * cap + j] + d[14 * cap + j];
                float d2 = d[14 * cap + j] - d[13 * cap + j], d3 = d[13 * cap + j] - d[15 * cap + j];
                int p = at + j;
                v[p] = a0 - c0;
                v[p + plane] = a1 - c1;
                v[p + 2 * plane] = a2 - c2;
                v[p + 3 * plane] = a3 - c3;
                v[p + 4 * plane] = b0 + c0;
                v[p + 5 * plane] = b1 + c1;
                v[p + 6 * plane] = b2 + c2;
                v[p + 7 * plane] = b3 + c3;
                v[p + 8 * plane] = c0 - b0;
                v[p + 9 * plane] = c1 - b1;
                v[p + 10 * plane] = c2 - b2;
                v[p + 11 * plane] = c3 - b3;
                v[p + 12 * plane] = b0 - d0;
                v[p + 13 * plane] = b1 - d1;
                v[p + 14 * plane] = b2 - d2;
                v[p + 15 * plane] = b3 - d3;
            }
        }

        /**
         * {@code Y = A^T M A} of tiles {@code [j0, len)}, {@code A^T = [1 1 1 0; 0 1 -1 -1]}, position {@code xi} of
         * tile j at {@code m[at + xi * plane + j]}: output (a, b) of tile j into {@code y[(2a + b) * cap + j]}.
         */
        void output(float[] m, int at, int plane, float[] y, int cap, int j0, int len) {
            for (int j = j0; j < len; j++) {
                int p = at + j;
                // M A per row i: (m_i0 + m_i1 + m_i2, m_i1 - m_i2 - m_i3)
                float s0 = m[p] + m[p + plane] + m[p + 2 * plane];
                float r0 = m[p + plane] - m[p + 2 * plane] - m[p + 3 * plane];
                float s1 = m[p + 4 * plane] + m[p + 5 * plane] + m[p + 6 * plane];
                float r1 = m[p + 5 * plane] - m[p + 6 * plane] - m[p + 7 * plane];
                float s2 = m[p + 8 * plane] + m[p + 9 * plane] + m[p + 10 * plane];
                float r2 = m[p + 9 * plane] - m[p + 10 * plane] - m[p + 11 * plane];
                float s3 = m[p + 12 * plane] + m[p + 13 * plane] + m[p + 14 * plane];
                float r3 = m[p + 13 * plane] - m[p + 14 * plane] - m[p + 15 * plane];
                y[j] = s0 + s1 + s2;
                y[cap + j] = r0 + r1 + r2;
                y[2 * cap + j] = s1 - s2 - s3;
                y[3 * cap + j] = r1 - r2 - r3;
            }
        }
    }
}
