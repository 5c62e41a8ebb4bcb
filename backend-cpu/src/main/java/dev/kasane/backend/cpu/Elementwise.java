package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;

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
            Iteration.run(par, p, CpuBackend.GRAIN, () -> {
                double[] buf = new double[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadDouble(s.data, s.dtype, off[1] + done * ss, ss, buf, c);
                        Convert.storeDouble(buf, c, d.data, d.dtype, off[0] + done * ds, ds);
                    }
                };
            });
        } else {
            Iteration.run(par, p, CpuBackend.GRAIN, () -> {
                long[] buf = new long[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadLong(s.data, s.dtype, off[1] + done * ss, ss, buf, c);
                        Convert.storeLong(buf, c, d.data, d.dtype, off[0] + done * ds, ds);
                    }
                };
            });
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
            Iteration.run(par, p, grain, () -> {
                double[] buf = new double[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadDouble(s.data, s.dtype, off[1] + done * ss, ss, buf, c);
                        UnaryKernels.applyDouble(op, buf, c);
                        Convert.storeDouble(buf, c, d.data, d.dtype, off[0] + done * ds, ds);
                    }
                };
            });
        } else {
            Iteration.run(par, p, grain, () -> {
                long[] buf = new long[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadLong(s.data, s.dtype, off[1] + done * ss, ss, buf, c);
                        UnaryKernels.applyLong(op, buf, c);
                        Convert.storeLong(buf, c, d.data, d.dtype, off[0] + done * ds, ds);
                    }
                };
            });
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
            Iteration.run(par, p, grain, () -> {
                double[] x = new double[Convert.CHUNK];
                double[] y = new double[Convert.CHUNK];
                double[] z = new double[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadDouble(a.data, a.dtype, off[1] + done * sa, sa, x, c);
                        Convert.loadDouble(b.data, b.dtype, off[2] + done * sb, sb, y, c);
                        BinaryKernels.applyDouble(op, x, y, z, c);
                        Convert.storeDouble(z, c, d.data, d.dtype, off[0] + done * sd, sd);
                    }
                };
            });
        } else {
            Iteration.run(par, p, grain, () -> {
                long[] x = new long[Convert.CHUNK];
                long[] y = new long[Convert.CHUNK];
                long[] z = new long[Convert.CHUNK];
                return (off, n) -> {
                    for (int done = 0; done < n; done += Convert.CHUNK) {
                        int c = Math.min(Convert.CHUNK, n - done);
                        Convert.loadLong(a.data, a.dtype, off[1] + done * sa, sa, x, c);
                        Convert.loadLong(b.data, b.dtype, off[2] + done * sb, sb, y, c);
                        BinaryKernels.applyLong(op, x, y, z, c);
                        Convert.storeLong(z, c, d.data, d.dtype, off[0] + done * sd, sd);
                    }
                };
            });
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
}
