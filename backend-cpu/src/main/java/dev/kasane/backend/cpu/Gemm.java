package dev.kasane.backend.cpu;

/**
 * Batched GEMM driver, GotoBLAS/BLIS style: for each {@code NC}-column block and {@code KC}-deep slice, B is packed
 * once into {@code nr}-wide panels (shared by all threads), then row blocks of {@code MC} rows of A are packed and
 * multiplied tile by tile with a {@link GemmKernel} micro-kernel. Work is split over row blocks (and column
 * panels when there are few rows) or, for many small matrices, over the batch. Every element of C is summed over
 * the same k-slices in the same order whatever the split, so results do not depend on the thread count.
 *
 * <p>Products whose A is packed once ahead ({@link PackedA}: a convolution's weight) and whose B comes from a packer
 * (im2col) have their own split ({@code spread}): A's panels are already shared, so each part packs only its own
 * columns of B and no part waits for another, where {@link #matmul}'s driver shares one packed B behind a barrier per
 * k-slice and packs A per unit.
 */
final class Gemm {
    /**
     * Depth of the k-slices. Deep slices mean fewer passes over C (each slice after the first reloads and stores the
     * C tiles, whose rows are far apart and missed by the prefetchers) and fewer parallel jobs per product; the A block
     * ({@code MC x KC}, 512 KB of F32) stays within half of a 1 MB L2, and the B panel ({@code KC x nr}) streams from
     * L2. Measured on the 2-core Zen 5 machine (five fresh processes each, gemm-1024 median): KC 256 9.3 ms, 512
     * 8.4 ms, 1024 7.6 ms; the convolution workloads did not change beyond the noise. Cost: each thread's B scratch
     * holds up to {@code KC x NC} elements (16 MB of F32 for products at least that deep and wide; NC 1024 was no
     * faster or slower on U-Net and DCGAN within the noise).
     */
    static final int KC = Integer.getInteger("kasane.cpu.gemm.kc", 1024);
    static final int MC = Integer.getInteger("kasane.cpu.gemm.mc", 128);
    static final int NC = Integer.getInteger("kasane.cpu.gemm.nc", 4096);
    /** Below this many flops per matrix, matrices are not split across threads. */
    private static final long SPLIT_FLOPS = 1L << 21;

    private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(() -> new Object[6]);

    private Gemm() {
    }

    /** One matrix of a batched operand: offset, row stride, column stride. */
    private static final class Operand {
        final Object data;
        final int offset;
        final int rs;
        final int cs;

        Operand(Object data, int offset, int rs, int cs) {
            this.data = data;
            this.offset = offset;
            this.rs = rs;
            this.cs = cs;
        }
    }

    /**
     * A right operand that packs itself into the kernel's panels, so that a caller can generate B on the fly (the
     * convolutions' im2col) instead of materialising it and having it copied again.
     */
    interface BPacker {
        /**
         * Packs {@code B[pc, pc + kc) x [jc, jc + nc)} into panels of {@code kern.nr} columns at {@code dst[dstOff]},
         * panel {@code q} at {@code dstOff + q * nr * kc}, row-major within a panel, the last one zero padded.
         */
        void pack(GemmKernel kern, int pc, int kc, int jc, int nc, Object dst, int dstOff);
    }

    /** {@code B[p][j] = b[bOff + p*brs + j*bcs]} as a {@link BPacker}. */
    static BPacker matrix(Object b, int bOff, int brs, int bcs) {
        return (kern, pc, kc, jc, nc, dst, dstOff) -> kern.packB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, dst, dstOff);
    }

    /** {@code c[b] = a[b] @ b[b]}; {@code c} contiguous {@code [B, M, N]}. */
    static void matmul(Parallel par, GemmKernel wide, View a, View b, View c) {
        int batch = c.shape[0];
        int m = c.shape[1];
        int n = c.shape[2];
        // Few columns (a classifier's last layer): the narrow kernel wastes less of each FMA, with the same sums.
        GemmKernel kern = n <= wide.narrow().nr ? wide.narrow() : wide;
        int k = a.shape[2];
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        int ldc = n;
        int cBatch = m * n;
        if (k == 0) {
            kern.zero(c.data, c.offset, batch * cBatch);
            return;
        }
        if (batch == 1 && m == 1 && b.strides[1] == 1 && b.strides[2] == k && b.storage != null) {
            rowTimesStoredTranspose(par, wide, a, b, c, n, k);
            return;
        }
        long flops = 2L * m * n * k;
        boolean byBatch = batch > 1 && (batch >= 2 * par.threads() || flops < SPLIT_FLOPS);
        if (byBatch) {
            par.run(batch, bi -> serial(kern, operand(a, bi), operand(b, bi), c.data, c.offset + bi * cBatch, ldc, m, n, k));
            return;
        }
        for (int bi = 0; bi < batch; bi++) {
            Operand ab = operand(a, bi);
            Operand bb = operand(b, bi);
            if (flops < SPLIT_FLOPS || par.threads() == 1) {
                serial(kern, ab, bb, c.data, c.offset + bi * cBatch, ldc, m, n, k);
            } else {
                parallel(par, kern, ab, bb, c.data, c.offset + bi * cBatch, ldc, m, n, k);
            }
        }
    }

    /** What {@link #rowTimesStoredTranspose} packs from a stored matrix: its {@code n x k} rows from {@code offset}. */
    private record StoredRows(GemmKernel kern, int offset, int n, int k) {
    }

    /**
     * {@code c = a @ b} for one row {@code a [1, k]} and a {@code b [k, n]} that is the transpose of a contiguous stored
     * {@code [n, k]} matrix (a linear layer's {@code weight.t()}: a classifier's head at batch 1), computed as
     * {@code c^T = b^T a^T} with {@code b^T} as the packed A operand, which {@link WeightPacks} keeps while the matrix is
     * unchanged: where the general driver would transpose all of B into its panels on every call for a product of one
     * row. Each element is summed over the same k-slices in the same order (a product's operands commute), so the
     * result is the general driver's, bit for bit.
     */
    private static void rowTimesStoredTranspose(Parallel par, GemmKernel wide, View a, View b, View c, int n, int k) {
        GemmKernel kern = wide.narrow(); // one column
        try (WeightPacks.Lease<PackedA> pa = WeightPacks.lease(b, new StoredRows(kern, b.offset, n, k),
                () -> packA(par, kern, b.data, b.offset, k, 1, n, k), PackedA::release)) {
            gemm(par, kern, pa.value(), matrix(a.data, a.offset, a.strides[2], a.strides[1]), c.data, c.offset, 1, 1,
                    false);
        }
    }

    private static Operand operand(View v, int batchIndex) {
        return new Operand(v.data, v.offset + batchIndex * v.strides[0], v.strides[1], v.strides[2]);
    }

    private static Object scratch(GemmKernel kern, int slot, int size) {
        Object[] s = SCRATCH.get();
        int i = slot * 2 + (kern instanceof GemmScalarF32 ? 0 : 1);
        Object buf = s[i];
        if (buf == null || java.lang.reflect.Array.getLength(buf) < size) {
            buf = kern.alloc(size);
            s[i] = buf;
        }
        return buf;
    }

    /** Depth of the k-slices: at most KC, balanced so that there is no short last slice (a function of k only). */
    private static int kcStep(int k) {
        int slices = (k + KC - 1) / KC;
        return (k + slices - 1) / slices;
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /**
     * Single-threaded {@code C (+)= A @ B} on raw arrays, for fused kernels (convolution) that split work themselves:
     * {@code A[i][p] = a[aOff + i*ars + p*acs]} ({@code m x k}), {@code B[p][j] = b[bOff + p*brs + j*bcs]}
     * ({@code k x n}), C at {@code c[cOff]} with row stride {@code ldc}; with {@code accumulate} the product is added
     * to C, else it replaces it. Each element is summed over the same k-slices in the same order as {@link #matmul}.
     */
    static void gemm(GemmKernel kern, Object a, int aOff, int ars, int acs, Object b, int bOff, int brs, int bcs,
            Object c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        gemm(kern, a, aOff, ars, acs, matrix(b, bOff, brs, bcs), c, cOff, ldc, m, n, k, accumulate);
    }

    /**
     * Whether the product is empty (no rows, no columns, or K = 0: then C's {@code m x n} block is zeroed unless
     * {@code accumulate}), so that there is nothing left to multiply.
     */
    private static boolean empty(GemmKernel kern, Object c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0 && !accumulate) {
            for (int i = 0; i < m; i++) {
                kern.zero(c, cOff + i * ldc, n);
            }
        }
        return k == 0;
    }

    /** The raw-array GEMM above with B from a packer. */
    static void gemm(GemmKernel kern, Object a, int aOff, int ars, int acs, BPacker b, Object c, int cOff, int ldc, int m,
            int n, int k, boolean accumulate) {
        if (empty(kern, c, cOff, ldc, m, n, k, accumulate)) {
            return;
        }
        serial(kern, new Operand(a, aOff, ars, acs), b, c, cOff, ldc, m, n, k, accumulate);
    }

    /**
     * A left operand ({@code m x k}) packed once into the exact panels {@link #gemm} would pack for every call (one
     * per k-slice and {@code MC}-row block), so that many products with the same A (a convolution's weight over its
     * work units) skip the repacking. Read-only once built; safe to share across threads. Its panels come from
     * {@link HostArrayPool}; {@link #release} gives them back when nothing will use the packing again.
     */
    static final class PackedA {
        final GemmKernel kern;
        final int m;
        final int k;
        final int kcStep;
        final int icBlocks;
        /** {@code panels[slice * icBlocks + block]}. */
        final Object[] panels;

        private PackedA(GemmKernel kern, int m, int k) {
            this.kern = kern;
            this.m = m;
            this.k = k;
            this.kcStep = k == 0 ? 1 : kcStep(k);
            this.icBlocks = (m + MC - 1) / MC;
            int slices = k == 0 ? 0 : (k + kcStep - 1) / kcStep;
            this.panels = new Object[slices * icBlocks];
        }

        /** Gives the panels back to {@link HostArrayPool}; the packing must not be used afterwards. */
        void release() {
            for (int i = 0; i < panels.length; i++) {
                HostArrayPool.shared().give(panels[i]);
                panels[i] = null;
            }
        }

        /** {@link #release} for each of {@code packings}. */
        static void release(PackedA[] packings) {
            for (PackedA p : packings) {
                p.release();
            }
        }
    }

    /**
     * Packs {@code A[i][p] = a[aOff + i*ars + p*acs]} ({@code m x k}) for {@link #gemm(GemmKernel, PackedA, Object,
     * int, int, int, Object, int, int, int, boolean)}, spreading the packing over {@code par} when it is large.
     */
    static PackedA packA(Parallel par, GemmKernel kern, Object a, int aOff, int ars, int acs, int m, int k) {
        PackedA pa = new PackedA(kern, m, k);
        int count = pa.panels.length;
        java.util.function.IntConsumer task = i -> {
            int pc = (i / pa.icBlocks) * pa.kcStep;
            int ic = (i % pa.icBlocks) * MC;
            int kc = Math.min(pa.kcStep, k - pc);
            int mc = Math.min(MC, m - ic);
            Object ap = HostArrayPool.shared().takeUninitialized(kern.dtype, kc * roundUp(mc, kern.mr)); // packA writes all
            kern.packA(a, aOff + ic * ars + pc * acs, ars, acs, mc, kc, ap);
            pa.panels[i] = ap;
        };
        if (par != null && count > 1 && par.threads() > 1 && (long) m * k >= (1L << 16)) {
            par.run(count, task);
        } else {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
        }
        return pa;
    }

    /**
     * {@link #gemm} with a pre-packed A ({@code pa.m x pa.k}): bit-identical to packing A in the call. Single-threaded.
     */
    static void gemm(GemmKernel kern, PackedA pa, Object b, int bOff, int brs, int bcs, Object c, int cOff, int ldc,
            int n, boolean accumulate) {
        gemm(kern, pa, matrix(b, bOff, brs, bcs), c, cOff, ldc, n, accumulate);
    }

    /** {@link #gemm(GemmKernel, PackedA, Object, int, int, int, Object, int, int, int, boolean)} with B from a packer. */
    static void gemm(GemmKernel kern, PackedA pa, BPacker b, Object c, int cOff, int ldc, int n, boolean accumulate) {
        gemm(kern, pa, 0, pa.icBlocks, b, c, cOff, ldc, n, accumulate);
    }

    /**
     * {@link #gemm(GemmKernel, PackedA, BPacker, Object, int, int, int, boolean)} for the rows of A's {@code MC}-row
     * blocks {@code [blk0, blk1)} only (C's rows from {@code blk0 * MC}), so that callers can split M across threads.
     */
    static void gemm(GemmKernel kern, PackedA pa, int blk0, int blk1, BPacker b, Object c, int cOff, int ldc, int n,
            boolean accumulate) {
        if (pa.kern != kern) {
            throw new IllegalArgumentException("A packed for another kernel");
        }
        int m = Math.min(pa.m, blk1 * MC);
        int k = pa.k;
        if (empty(kern, c, cOff, ldc, m, n, k, accumulate)) {
            return;
        }
        int kcMax = Math.min(k, KC);
        int kcStep = pa.kcStep;
        Object bp = scratch(kern, 0, kcMax * roundUp(Math.min(n, NC), kern.nr));
        Object tile = scratch(kern, 2, kern.mr * kern.nr);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0, slice = 0; pc < k; pc += kcStep, slice++) {
                int kc = Math.min(kcStep, k - pc);
                b.pack(kern, pc, kc, jc, nc, bp, 0);
                for (int blk = blk0, ic = blk0 * MC; ic < m; ic += MC, blk++) {
                    int mc = Math.min(MC, m - ic);
                    Object ap = pa.panels[slice * pa.icBlocks + blk];
                    block(kern, ap, bp, tile, kc, mc, 0, nc, c, cOff + ic * ldc + jc, ldc, accumulate || pc > 0);
                }
            }
        }
    }

    /** Tasks per thread that {@link #spread} aims at, so that uneven tasks still balance. */
    private static final int TASKS_PER_THREAD = 4;

    /**
     * {@link #gemm(GemmKernel, PackedA, BPacker, Object, int, int, int, boolean)} spread over {@code par} (single-threaded
     * when {@code par} is null), for one large product that would otherwise keep one thread busy (a convolution of one
     * image). Bit-identical to the single-threaded call: see {@link #spread}.
     */
    static void gemm(Parallel par, GemmKernel kern, PackedA pa, BPacker b, Object c, int cOff, int ldc, int n,
            boolean accumulate) {
        spread(par, kern, pa, n, (blk0, blk1, j0, j1) -> gemm(kern, pa, blk0, blk1,
                (kk, pc, kc, jc, nc, dst, dstOff) -> b.pack(kk, pc, kc, j0 + jc, nc, dst, dstOff), c, cOff + j0, ldc,
                j1 - j0, accumulate));
    }

    /** {@link #gemmInPlace(GemmKernel, PackedA, Object, int[], Object, int, int, int)} spread over {@code par} (may be null). */
    static void gemmInPlace(Parallel par, GemmKernel kern, PackedA pa, Object b, int[] bRows, Object c, int cOff, int ldc,
            int n) {
        if (pa.kern != kern) {
            throw new IllegalArgumentException("A packed for another kernel");
        }
        if (empty(kern, c, cOff, ldc, pa.m, n, pa.k, false)) {
            return;
        }
        spread(par, kern, pa, n, (blk0, blk1, j0, j1) -> gemmInPlace(kern, pa, blk0, blk1, j0, j1, b, bRows, c, cOff, ldc));
    }

    /** A part of a product with a packed A: A's {@code MC}-row blocks {@code [blk0, blk1)} times B's columns {@code [j0, j1)}. */
    private interface Part {
        void run(int blk0, int blk1, int j0, int j1);
    }

    /**
     * Cuts the {@code pa.m x n} product into parts for {@code par}'s threads and runs them: first into ranges of whole
     * {@code nr}-column panels (each part packs only its own columns of B), then, when there are fewer panels than
     * wanted tasks, into groups of A's {@code MC}-row blocks (each group packs its columns of B again). Every element
     * is computed by the same micro-kernel calls over the same k-slices as in one single-threaded call, so the result
     * does not depend on the cut or the thread count. An empty product, or a null or one-thread {@code par}, runs as one
     * part.
     */
    private static void spread(Parallel par, GemmKernel kern, PackedA pa, int n, Part part) {
        int panels = (n + kern.nr - 1) / kern.nr;
        if (par == null || par.threads() == 1 || pa.m == 0 || pa.k == 0 || panels <= 1 && pa.icBlocks == 1) {
            part.run(0, pa.icBlocks, 0, n);
            return;
        }
        int want = TASKS_PER_THREAD * par.threads();
        int colRanges = Math.min(panels, want);
        int rowGroups = Math.min(pa.icBlocks, (want + colRanges - 1) / colRanges);
        par.run(colRanges * rowGroups, t -> {
            int cr = t / rowGroups;
            int rg = t % rowGroups;
            part.run(pa.icBlocks * rg / rowGroups, pa.icBlocks * (rg + 1) / rowGroups, panels * cr / colRanges * kern.nr,
                    Math.min(n, panels * (cr + 1) / colRanges * kern.nr));
        });
    }

    private static void serial(GemmKernel kern, Operand a, Operand b, Object c, int cOff, int ldc, int m, int n, int k) {
        serial(kern, a, matrix(b.data, b.offset, b.rs, b.cs), c, cOff, ldc, m, n, k, false);
    }

    private static void serial(GemmKernel kern, Operand a, BPacker b, Object c, int cOff, int ldc, int m, int n, int k,
            boolean accumulate) {
        int kcMax = Math.min(k, KC);
        int kcStep = kcStep(k);
        Object bp = scratch(kern, 0, kcMax * roundUp(Math.min(n, NC), kern.nr));
        Object ap = scratch(kern, 1, kcMax * roundUp(Math.min(m, MC), kern.mr));
        Object tile = scratch(kern, 2, kern.mr * kern.nr);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                b.pack(kern, pc, kc, jc, nc, bp, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    kern.packA(a.data, a.offset + ic * a.rs + pc * a.cs, a.rs, a.cs, mc, kc, ap);
                    block(kern, ap, bp, tile, kc, mc, 0, nc, c, cOff + ic * ldc + jc, ldc, accumulate || pc > 0);
                }
            }
        }
    }

    private static void parallel(Parallel par, GemmKernel kern, Operand a, Operand b, Object c, int cOff, int ldc,
            int m, int n, int k) {
        int threads = par.threads();
        int kcMax = Math.min(k, KC);
        int kcStep = kcStep(k);
        Object bp = scratch(kern, 0, kcMax * roundUp(Math.min(n, NC), kern.nr));
        int icBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + kern.nr - 1) / kern.nr;
            int nSplit = Math.min(panels, Math.max(1, (2 * threads + icBlocks - 1) / icBlocks));
            int jcf = jc;
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                int pcf = pc;
                int packTasks = Math.min(panels, threads);
                par.run(packTasks, t -> {
                    int q0 = panels * t / packTasks;
                    int q1 = panels * (t + 1) / packTasks;
                    int j0 = q0 * kern.nr;
                    int j1 = Math.min(nc, q1 * kern.nr);
                    kern.packB(b.data, b.offset + pcf * b.rs + (jcf + j0) * b.cs, b.rs, b.cs, kc, j1 - j0, bp, j0 * kc);
                });
                par.run(icBlocks * nSplit, u -> {
                    int ic = (u / nSplit) * MC;
                    int s = u % nSplit;
                    int mc = Math.min(MC, m - ic);
                    int j0 = panels * s / nSplit * kern.nr;
                    int j1 = Math.min(nc, panels * (s + 1) / nSplit * kern.nr);
                    Object ap = scratch(kern, 1, kc * roundUp(mc, kern.mr));
                    Object tile = scratch(kern, 2, kern.mr * kern.nr);
                    kern.packA(a.data, a.offset + ic * a.rs + pcf * a.cs, a.rs, a.cs, mc, kc, ap);
                    block(kern, ap, bp, tile, kc, mc, j0, j1, c, cOff + ic * ldc + jcf, ldc, pcf > 0);
                });
            }
        }
    }

    /** Columns {@code [j0, j1)} of a packed {@code mc x nc} block product into C at {@code cOff} (column 0). */
    private static void block(GemmKernel kern, Object ap, Object bp, Object tile, int kc, int mc, int j0, int j1,
            Object c, int cOff, int ldc, boolean accumulate) {
        block(kern, ap, bp, kc, kern.packedRows, 0, tile, kc, mc, j0, j1, c, cOff, ldc, accumulate);
    }

    /**
     * Columns {@code [j0, j1)} of the product of a packed {@code mc}-row block of A and B into C at {@code cOff}
     * (column 0): the {@code nr}-column panel from column {@code jr} has row {@code k} at
     * {@code b[jr * panelStride + bRows[row0 + k]]}.
     */
    private static void block(GemmKernel kern, Object ap, Object b, int panelStride, int[] bRows, int row0, Object tile,
            int kc, int mc, int j0, int j1, Object c, int cOff, int ldc, boolean accumulate) {
        int mr = kern.mr;
        int nr = kern.nr;
        GemmKernel narrow = kern.narrow();
        for (int jr = j0; jr < j1; jr += nr) {
            int nn = Math.min(nr, j1 - jr);
            int bOff = jr * panelStride;
            // A last panel of at most the narrow kernel's width (196 = 6 x 32 + 4 columns: a 14x14 plane) is read by
            // that kernel: its first columns through the same row offsets, each lane's sum the same, half the FMAs.
            GemmKernel part = nn <= narrow.nr && narrow.mr == mr ? narrow : kern;
            for (int ir = 0; ir < mc; ir += mr) {
                int mm = Math.min(mr, mc - ir);
                int at = cOff + ir * ldc + jr;
                if (mm == mr && nn == nr) {
                    kern.micro(kc, ap, ir * kc, b, bOff, bRows, row0, c, at, ldc, accumulate);
                } else {
                    part.micro(kc, ap, ir * kc, b, bOff, bRows, row0, tile, 0, part.nr, false);
                    part.addTile(tile, mm, nn, c, at, ldc, accumulate);
                }
            }
        }
    }

    /**
     * {@code C = A @ B} ({@code pa.m x n}) with a pre-packed A and B read in place, without packing: row {@code k} of B
     * is the {@code n} elements from {@code b[bRows[k]]}. Every row must be followed by at least {@code kern.nr - 1}
     * readable elements (the last panel's extra columns are computed into a scratch tile and dropped). Each element is
     * summed over the same k-slices in the same order as {@link #gemm}, so the result equals packing B. Single-threaded.
     */
    static void gemmInPlace(GemmKernel kern, PackedA pa, Object b, int[] bRows, Object c, int cOff, int ldc, int n) {
        gemmInPlace(null, kern, pa, b, bRows, c, cOff, ldc, n);
    }

    /** {@link #gemmInPlace} for A's {@code MC}-row blocks {@code [blk0, blk1)} and B's columns {@code [j0, j1)} only. */
    private static void gemmInPlace(GemmKernel kern, PackedA pa, int blk0, int blk1, int j0, int j1, Object b, int[] bRows,
            Object c, int cOff, int ldc) {
        int m = Math.min(pa.m, blk1 * MC);
        Object tile = scratch(kern, 2, kern.mr * kern.nr);
        for (int pc = 0, slice = 0; pc < pa.k; pc += pa.kcStep, slice++) {
            int kc = Math.min(pa.kcStep, pa.k - pc);
            for (int blk = blk0, ic = blk0 * MC; ic < m; ic += MC, blk++) {
                int mc = Math.min(MC, m - ic);
                block(kern, pa.panels[slice * pa.icBlocks + blk], b, 1, bRows, pc, tile, kc, mc, j0, j1, c, cOff + ic * ldc,
                        ldc, pc > 0);
            }
        }
    }

    /**
     * {@code C (+)= A @ B} ({@code m x n}) with A read in place, without packing: row {@code i} of A is the {@code k}
     * elements from {@code a[aRows[i]]}; {@code aRows} has at least {@code m} rounded up to {@code kern.mr} entries (the
     * extra ones any valid offset: their rows are computed into a scratch tile and dropped). B comes from a packer.
     * Single-threaded.
     */
    static void gemmInPlaceA(GemmKernel kern, Object a, int[] aRows, int m, int k, BPacker b, Object c, int cOff, int ldc,
            int n, boolean accumulateC) {
        if (empty(kern, c, cOff, ldc, m, n, k, accumulateC)) {
            return;
        }
        int mr = kern.mr;
        int nr = kern.nr;
        int kcStep = kcStep(k);
        Object bp = scratch(kern, 0, Math.min(k, KC) * roundUp(Math.min(n, NC), nr));
        Object tile = scratch(kern, 2, mr * nr);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                b.pack(kern, pc, kc, jc, nc, bp, 0);
                boolean accumulate = accumulateC || pc > 0;
                for (int ir = 0; ir < m; ir += mr) {
                    int mm = Math.min(mr, m - ir);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int nn = Math.min(nr, nc - jr);
                        int at = cOff + ir * ldc + jc + jr;
                        if (mm == mr && nn == nr) {
                            kern.microRowsA(kc, a, pc, aRows, ir, bp, jr * kc, c, at, ldc, accumulate);
                        } else {
                            kern.microRowsA(kc, a, pc, aRows, ir, bp, jr * kc, tile, 0, nr, false);
                            kern.addTile(tile, mm, nn, c, at, ldc, accumulate);
                        }
                    }
                }
            }
        }
    }
}
