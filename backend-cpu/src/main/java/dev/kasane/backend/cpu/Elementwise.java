package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.function.Supplier;

/**
 * Drivers of the elementwise primitives (copy with conversion, unary, binary, where): build a coalesced
 * {@link Iteration.Plan} with the destination first, then run a per-run kernel, either a direct typed loop or a
 * chunked load / compute / store through {@code double[]} or {@code long[]} scratch buffers.
 */
final class Elementwise {
    private Elementwise() {
    }

    static void copy(Parallel par, View s, View d) {
        Iteration.Plan p = Iteration.elementwise(d.shape, d, s);
        int ds = p.innerStride(0);
        int ss = p.innerStride(1);
        if (s.dtype == d.dtype) {
            if (isTransposition(p)) {
                transposedCopy(par, p, s.dtype, s.data, d.data);
                return;
            }
            Iteration.run(par, p, CpuBackend.GRAIN, () -> (off, n) -> CopyKernels.copy(d.dtype, s.data, off[1], ss, d.data, off[0], ds, n));
        } else if (s.dtype == DType.F32 && d.dtype.isHalf() || s.dtype.isHalf() && d.dtype == DType.F32) {
            Iteration.run(par, p, CpuBackend.GRAIN, () -> (off, n) -> Convert.halfF32(s.data, s.dtype, off[1], ss, d.data, d.dtype, off[0], ds, n));
        } else if (s.dtype.isFloating() || s.dtype.isHalf()) {
            mapChunks(par, p, CpuBackend.GRAIN, DOUBLES, s, d, null);
        } else {
            mapChunks(par, p, CpuBackend.GRAIN, LONGS, s, d, null);
        }
    }

    /** The innermost two dims are a transposition: dst contiguous along the last, src along the one before. */
    private static boolean isTransposition(Iteration.Plan p) {
        int r = p.rank();
        return r >= 2 && p.strides[0][r - 1] == 1 && p.strides[1][r - 2] == 1 && p.strides[1][r - 1] != 1
                && p.shape[r - 1] >= 16 && p.shape[r - 2] >= 16;
    }

    private static void transposedCopy(Parallel par, Iteration.Plan p, DType dt, Object src, Object dst) {
        int r = p.rank();
        int rows = p.shape[r - 2];
        int cols = p.shape[r - 1];
        int scs = p.strides[1][r - 1];
        int drs = p.strides[0][r - 2];
        int[][] outerStrides = {java.util.Arrays.copyOf(p.strides[0], r - 2), java.util.Arrays.copyOf(p.strides[1], r - 2)};
        Iteration.Plan outer = new Iteration.Plan(java.util.Arrays.copyOf(p.shape, r - 2), outerStrides, p.base);
        final int band = 64;
        int bands = (rows + band - 1) / band;
        int units = outer.numel * bands;
        long work = (long) p.numel;
        int tasks = Parallel.tasksFor(work, CpuBackend.GRAIN, Math.min(64, units));
        par.run(tasks, t -> {
            int lo = (int) ((long) units * t / tasks);
            int hi = (int) ((long) units * (t + 1) / tasks);
            int[] offs = new int[2];
            for (int u = lo; u < hi; u++) {
                Iteration.offsetsAt(outer, u / bands, offs);
                int r0 = (u % bands) * band;
                int n = Math.min(band, rows - r0);
                CopyKernels.transposeTile(dt, src, offs[1] + r0, scs, dst, offs[0] + r0 * drs, drs, n, cols);
            }
        });
    }

    static void unary(Parallel par, UnaryOp op, View s, View d) {
        Iteration.Plan p = Iteration.elementwise(d.shape, d, s);
        int ds = p.innerStride(0);
        int ss = p.innerStride(1);
        int grain = op.isTranscendental() ? CpuBackend.GRAIN_EXPENSIVE : CpuBackend.GRAIN;
        if (d.dtype == DType.F32 && UnaryKernels.hasDirectF32(op)) {
            float[] sa = (float[]) s.data;
            float[] da = (float[]) d.data;
            Iteration.run(par, p, grain, () -> (off, n) -> UnaryKernels.directF32(op, sa, off[1], ss, da, off[0], ds, n));
        } else if (d.dtype.isFloating()) {
            mapChunks(par, p, grain, DOUBLES, s, d, (x, y, z, c) -> UnaryKernels.applyDouble(op, x, c));
        } else {
            mapChunks(par, p, grain, LONGS, s, d, (x, y, z, c) -> UnaryKernels.applyLong(op, x, c));
        }
    }

    static void binary(Parallel par, BinaryOp op, View a, View b, View d) {
        Iteration.Plan p = Iteration.elementwise(d.shape, d, a, b);
        int sd = p.innerStride(0);
        int sa = p.innerStride(1);
        int sb = p.innerStride(2);
        int grain = op == BinaryOp.POW ? CpuBackend.GRAIN_EXPENSIVE : CpuBackend.GRAIN;
        if (a.dtype == DType.F32 && d.dtype == DType.F32 && BinaryKernels.hasDirectF32(op)) {
            float[] aa = (float[]) a.data;
            float[] ba = (float[]) b.data;
            float[] da = (float[]) d.data;
            Iteration.run(par, p, grain, () -> (off, n) -> BinaryKernels.directF32(op, aa, off[1], sa, ba, off[2], sb, da, off[0], sd, n));
        } else if (a.dtype.isFloating()) {
            zipChunks(par, p, grain, DOUBLES, a, b, d, (x, y, z, c) -> BinaryKernels.applyDouble(op, x, y, z, c));
        } else {
            zipChunks(par, p, grain, LONGS, a, b, d, (x, y, z, c) -> BinaryKernels.applyLong(op, x, y, z, c));
        }
    }

    static void where(Parallel par, View c, View a, View b, View d) {
        Iteration.Plan p = Iteration.elementwise(d.shape, d, c, a, b);
        int sd = p.innerStride(0);
        int sc = p.innerStride(1);
        int sa = p.innerStride(2);
        int sb = p.innerStride(3);
        byte[] ca = (byte[]) c.data;
        Iteration.run(par, p, CpuBackend.GRAIN, () -> (off, n) ->
                CopyKernels.where(d.dtype, ca, off[1], sc, a.data, off[2], sa, b.data, off[3], sb, d.data, off[0], sd, n));
    }

    /** {@link Convert}'s loads into a scratch buffer of type {@code B}. */
    private interface Load<B> {
        void load(Object src, DType dt, int off, int stride, B buf, int n);
    }

    /** {@link Convert}'s stores from a scratch buffer of type {@code B}. */
    private interface Store<B> {
        void store(B buf, int n, Object dst, DType dt, int off, int stride);
    }

    /** Work on loaded scratch chunks of {@code c} values: in place on {@code x}, or {@code z = op(x, y)}. */
    private interface ChunkOp<B> {
        void apply(B x, B y, B z, int c);
    }

    /**
     * A scratch buffer type that the dtypes without a direct loop go through, {@link Convert#CHUNK} values at a time:
     * {@code double[]} for the float dtypes, {@code long[]} for the others, with its converting load and store.
     */
    private record Scratch<B>(Supplier<B> allocate, Load<B> load, Store<B> store) {
    }

    private static final Scratch<double[]> DOUBLES =
            new Scratch<>(() -> new double[Convert.CHUNK], Convert::loadDouble, Convert::storeDouble);
    private static final Scratch<long[]> LONGS =
            new Scratch<>(() -> new long[Convert.CHUNK], Convert::loadLong, Convert::storeLong);

    /**
     * {@code d = f(s)} (operands 0 and 1 of {@code p}) through one scratch chunk per task, {@code f} working in place
     * on its first argument ({@code f} null: a converting copy).
     */
    private static <B> void mapChunks(Parallel par, Iteration.Plan p, int grain, Scratch<B> k, View s, View d,
            ChunkOp<B> f) {
        zipChunks(par, p, grain, k, s, null, d, f);
    }

    /**
     * {@code d = f(a, b)} (operands 0, 1 and 2 of {@code p}) through three scratch chunks per task; {@code b} null:
     * {@code d = f(a)} (operands 0 and 1) through one chunk.
     */
    private static <B> void zipChunks(Parallel par, Iteration.Plan p, int grain, Scratch<B> k, View a, View b, View d,
            ChunkOp<B> f) {
        int sd = p.innerStride(0);
        int sa = p.innerStride(1);
        int sb = b == null ? 0 : p.innerStride(2);
        Iteration.run(par, p, grain, () -> {
            B x = k.allocate().get();
            B y = b == null ? null : k.allocate().get();
            B z = b == null ? x : k.allocate().get();
            return (off, n) -> {
                for (int done = 0; done < n; done += Convert.CHUNK) {
                    int c = Math.min(Convert.CHUNK, n - done);
                    k.load().load(a.data, a.dtype, off[1] + done * sa, sa, x, c);
                    if (b != null) {
                        k.load().load(b.data, b.dtype, off[2] + done * sb, sb, y, c);
                    }
                    if (f != null) {
                        f.apply(x, y, z, c);
                    }
                    k.store().store(z, c, d.data, d.dtype, off[0] + done * sd, sd);
                }
            };
        });
    }
}
