package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.ReduceOp;

/**
 * Drives a reduction. The kept dimensions (outputs) and the reduced dimensions are coalesced separately. When
 * the reduced dimensions are the closest in memory, each output folds its own runs ("inner" strategy; long
 * reductions are cut into fixed blocks whose partial results are merged in order). When a kept dimension is
 * closer, a tile of neighbouring outputs is folded column-wise in one pass ("outer" strategy). Blocks depend
 * only on sizes, never on the thread count, so results are reproducible.
 */
final class Reduction {
    /** Reduction indices per block of the inner strategy. */
    static final int BLOCK = 1 << 16;
    /** Outputs per tile of the outer strategy. */
    static final int TILE = 256;
    private static final int GRAIN = 1 << 15;

    private final ReduceOp op;
    private final View src;
    private final View dst;
    private final boolean floating;
    private final Iteration.Plan kept;
    private final Iteration.Plan reduced;

    private Reduction(ReduceOp op, View src, View dst) {
        this.op = op;
        this.src = src;
        this.dst = dst;
        this.floating = src.dtype.isFloating();
        int rank = src.rank();
        int nk = 0;
        int nr = 0;
        int[] kShape = new int[rank];
        int[][] kStrides = new int[2][rank];
        int[] rShape = new int[rank];
        int[][] rStrides = new int[1][rank];
        for (int d = 0; d < rank; d++) {
            if (dst.shape[d] == 1 && src.shape[d] != 1) {
                rShape[nr] = src.shape[d];
                rStrides[0][nr++] = src.strides[d];
            } else {
                kShape[nk] = src.shape[d];
                kStrides[0][nk] = dst.strides[d];
                kStrides[1][nk++] = src.strides[d];
            }
        }
        kept = Iteration.ordered(java.util.Arrays.copyOf(kShape, nk),
                new int[][] {java.util.Arrays.copyOf(kStrides[0], nk), java.util.Arrays.copyOf(kStrides[1], nk)},
                new int[] {dst.offset, src.offset});
        reduced = Iteration.ordered(java.util.Arrays.copyOf(rShape, nr),
                new int[][] {java.util.Arrays.copyOf(rStrides[0], nr)}, new int[] {0});
    }

    static void run(Parallel par, ReduceOp op, View src, View dst) {
        new Reduction(op, src, dst).execute(par);
    }

    private void execute(Parallel par) {
        int outputs = kept.numel;
        if (outputs == 0) {
            return;
        }
        int rSize = reduced.numel;
        if (rSize == 0) {
            writeIdentity(par, outputs);
            return;
        }
        boolean outer = kept.rank() > 0 && reduced.rank() > 0 && kept.innerSize() >= 8
                && Math.abs(kept.innerStride(1)) < Math.abs(reduced.innerStride(0));
        if (outer) {
            runOuter(par);
        } else {
            runInner(par, outputs, rSize);
        }
    }

    private void writeIdentity(Parallel par, int outputs) {
        Iteration.Plan dstOnly = new Iteration.Plan(kept.shape, new int[][] {kept.strides[0]}, new int[] {kept.base[0]});
        Iteration.forRange(dstOnly, 0, outputs, (off, n) -> {
            if (floating) {
                double[] v = new double[n];
                java.util.Arrays.fill(v, ReduceKernels.identityDouble(op));
                Convert.storeDouble(v, n, dst.data, dst.dtype, off[0], dstOnly.innerStride(0));
            } else {
                long[] v = new long[n];
                java.util.Arrays.fill(v, ReduceKernels.identityLong(op));
                Convert.storeLong(v, n, dst.data, dst.dtype, off[0], dstOnly.innerStride(0));
            }
        });
    }

    // ---- inner strategy -------------------------------------------------------------------------------------

    private void runInner(Parallel par, int outputs, int rSize) {
        int blocks = (rSize + BLOCK - 1) / BLOCK;
        long units = (long) outputs * blocks;
        if (blocks == 1) {
            int perTask = (int) Math.max(1, GRAIN / Math.max(1, rSize));
            int tasks = (int) Math.min(64, (outputs + perTask - 1) / perTask);
            par.run(tasks, t -> {
                int lo = (int) ((long) outputs * t / tasks);
                int hi = (int) ((long) outputs * (t + 1) / tasks);
                Scratch s = new Scratch();
                int[] offs = new int[2];
                for (int o = lo; o < hi; o++) {
                    Iteration.offsetsAt(kept, o, offs);
                    s.acc.init(op);
                    foldRange(s, offs[1], 0, rSize);
                    store(s.acc, offs[0]);
                }
            });
            return;
        }
        ReduceKernels.Acc[] partial = new ReduceKernels.Acc[(int) units];
        par.run((int) units, u -> {
            int o = u / blocks;
            int blk = u % blocks;
            Scratch s = new Scratch();
            int[] offs = new int[2];
            Iteration.offsetsAt(kept, o, offs);
            s.acc.init(op);
            foldRange(s, offs[1], blk * BLOCK, Math.min(rSize, (blk + 1) * BLOCK));
            partial[u] = s.acc;
        });
        int[] offs = new int[2];
        for (int o = 0; o < outputs; o++) {
            ReduceKernels.Acc acc = partial[o * blocks];
            for (int blk = 1; blk < blocks; blk++) {
                ReduceKernels.combine(op, floating, acc, partial[o * blocks + blk]);
            }
            Iteration.offsetsAt(kept, o, offs);
            store(acc, offs[0]);
        }
    }

    /** Per-task scratch: an accumulator, and this thread's conversion buffers (a task runs on one thread). */
    private static final class Scratch {
        private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[Convert.CHUNK]);
        private static final ThreadLocal<long[]> LONGS = ThreadLocal.withInitial(() -> new long[Convert.CHUNK]);
        ReduceKernels.Acc acc = new ReduceKernels.Acc();
        long position;

        double[] dbuf() {
            return DOUBLES.get();
        }

        long[] lbuf() {
            return LONGS.get();
        }
    }

    /** Folds the reduction indices {@code [lo, hi)} of the output whose source starts at {@code srcOff}. */
    private void foldRange(Scratch s, int srcOff, int lo, int hi) {
        s.position = lo;
        int stride = reduced.innerStride(0);
        if (reduced.rank() <= 1) {
            foldRun(s, srcOff + lo * stride, stride, hi - lo);
            return;
        }
        Iteration.forRange(reduced, new int[] {srcOff}, lo, hi, (off, n) -> foldRun(s, off[0], stride, n));
    }

    private void foldRun(Scratch s, int off, int stride, int n) {
        if (op == ReduceOp.SUM && stride == 1 && src.dtype == DType.F32 && n >= Convert.CHUNK) {
            s.acc.d += VectorSupport.sumF32().sum((float[]) src.data, off, n);
            s.position += n;
            return;
        }
        for (int done = 0; done < n; done += Convert.CHUNK) {
            int c = Math.min(Convert.CHUNK, n - done);
            if (floating) {
                double[] buf = s.dbuf();
                Convert.loadDouble(src.data, src.dtype, off + done * stride, stride, buf, c);
                ReduceKernels.foldDouble(op, s.acc, buf, c, s.position);
            } else {
                long[] buf = s.lbuf();
                Convert.loadLong(src.data, src.dtype, off + done * stride, stride, buf, c);
                ReduceKernels.foldLong(op, s.acc, buf, c, s.position);
            }
            s.position += c;
        }
    }

    private void store(ReduceKernels.Acc acc, int dstOff) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            ((long[]) dst.data)[dstOff] = Math.max(0, acc.idx);
        } else if (floating) {
            if (dst.dtype == DType.F32) {
                ((float[]) dst.data)[dstOff] = (float) acc.d;
            } else {
                ((double[]) dst.data)[dstOff] = acc.d;
            }
        } else {
            Convert.storeLong(new long[] {acc.l}, 1, dst.data, dst.dtype, dstOff, 1);
        }
    }

    // ---- outer strategy -------------------------------------------------------------------------------------

    private void runOuter(Parallel par) {
        int inner = kept.innerSize();
        int rows = kept.numel / inner;
        int tilesPerRow = (inner + TILE - 1) / TILE;
        int units = rows * tilesPerRow;
        long work = (long) kept.numel * reduced.numel;
        int tasks = (int) Math.min(Math.min(64, units), Math.max(1, work / GRAIN));
        par.run(tasks, t -> {
            int lo = (int) ((long) units * t / tasks);
            int hi = (int) ((long) units * (t + 1) / tasks);
            double[] accD = new double[TILE];
            long[] accL = new long[TILE];
            long[] idx = new long[TILE];
            double[] dbuf = new double[TILE];
            long[] lbuf = new long[TILE];
            int[] offs = new int[2];
            for (int u = lo; u < hi; u++) {
                int row = u / tilesPerRow;
                int j0 = (u % tilesPerRow) * TILE;
                int width = Math.min(TILE, inner - j0);
                Iteration.offsetsAt(kept, row * inner + j0, offs);
                foldTile(offs[1], width, accD, accL, idx, dbuf, lbuf);
                storeTile(offs[0], width, accD, accL, idx);
            }
        });
    }

    private void foldTile(int srcOff, int width, double[] accD, long[] accL, long[] idx, double[] dbuf, long[] lbuf) {
        java.util.Arrays.fill(accD, 0, width, ReduceKernels.identityDouble(op));
        java.util.Arrays.fill(accL, 0, width, ReduceKernels.identityLong(op));
        java.util.Arrays.fill(idx, 0, width, -1L);
        int kStride = kept.innerStride(1);
        int rStride = reduced.innerStride(0);
        long[] position = {0};
        Iteration.forRange(reduced, new int[] {srcOff}, 0, reduced.numel, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int at = off[0] + i * rStride;
                if (floating) {
                    Convert.loadDouble(src.data, src.dtype, at, kStride, dbuf, width);
                    ReduceKernels.foldTileDouble(op, accD, idx, dbuf, width, position[0]++);
                } else {
                    Convert.loadLong(src.data, src.dtype, at, kStride, lbuf, width);
                    ReduceKernels.foldTileLong(op, accL, idx, lbuf, width, position[0]++);
                }
            }
        });
    }

    private void storeTile(int dstOff, int width, double[] accD, long[] accL, long[] idx) {
        int dStride = kept.innerStride(0);
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            for (int j = 0; j < width; j++) {
                idx[j] = Math.max(0, idx[j]);
            }
            Convert.storeLong(idx, width, dst.data, dst.dtype, dstOff, dStride);
        } else if (floating) {
            Convert.storeDouble(accD, width, dst.data, dst.dtype, dstOff, dStride);
        } else {
            Convert.storeLong(accL, width, dst.data, dst.dtype, dstOff, dStride);
        }
    }
}
