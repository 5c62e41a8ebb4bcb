package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.Ref;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** reduce() against a per-output reference, over random layouts, both strategies (inner and outer) and blocks. */
class ReduceTest {
    private static final DType[] ALL = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8, DType.BOOL};
    private static final int[][] SHAPES = {{}, {1}, {9}, {0, 3}, {4, 5}, {3, 1, 4}, {5, 33, 2}, {2, 3, 4, 5}, {600, 300}, {70001}};

    private final CpuBackend be = new CpuBackend(new Parallel(2), null, null);

    private static DType dstType(ReduceOp op, DType src) {
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        return arg || ((op == ReduceOp.SUM || op == ReduceOp.PROD) && !src.isFloating()) ? DType.I64 : src;
    }

    /** Reference reductions of all outputs in one pass (exact in double/long), indexed by row-major output index. */
    private static double[] reference(ReduceOp op, NDArray src, boolean[] reduced, int[] outShape) {
        int[] shape = src.shape();
        int outputs = TestViews.numel(outShape);
        double[] acc = new double[outputs];
        long[] lacc = new long[outputs];
        double[] best = new double[outputs];
        long[] bestIdx = new long[outputs];
        java.util.Arrays.fill(acc, op == ReduceOp.PROD ? 1 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0);
        java.util.Arrays.fill(lacc, op == ReduceOp.PROD ? 1 : 0);
        java.util.Arrays.fill(bestIdx, -1);
        int argDim = -1;
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) {
                argDim = d;
            }
        }
        for (int[] idx : TestViews.indices(shape)) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) {
                o = o * outShape[d] + (reduced[d] ? 0 : idx[d]);
            }
            double v = TestViews.get(src, idx);
            long pos = argDim < 0 ? 0 : idx[argDim];
            switch (op) {
                case SUM: acc[o] += v; lacc[o] += (long) v; break;
                case PROD: acc[o] *= v; lacc[o] *= (long) v; break;
                case MAX: acc[o] = Math.max(acc[o], v); break;
                case MIN: acc[o] = Math.min(acc[o], v); break;
                default:
                    boolean better = bestIdx[o] < 0 || (op == ReduceOp.ARGMAX ? v > best[o] : v < best[o])
                            || (v != v && best[o] == best[o]);
                    if (better) {
                        best[o] = v;
                        bestIdx[o] = pos;
                    }
            }
        }
        for (int o = 0; o < outputs; o++) {
            if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
                acc[o] = Math.max(0, bestIdx[o]);
            } else if (!src.dtype().isFloating() && (op == ReduceOp.SUM || op == ReduceOp.PROD)) {
                acc[o] = lacc[o];
            }
        }
        return acc;
    }

    private void checkReduction(Random r, ReduceOp op, DType dt, int[] shape, boolean[] reduced) {
        NDArray src = TestViews.randomView(r, dt, shape, r.nextBoolean());
        int[] outShape = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                outShape[d] = 1;
            }
        }
        DType odt = dstType(op, dt);
        NDArray dst = TestViews.randomDst(r, odt, outShape);
        be.reduce(op, src, dst);
        double[] ref = reference(op, src, reduced, outShape);
        int o = 0;
        for (int[] idx : TestViews.indices(outShape)) {
            double want = Ref.cast(ref[o++], odt);
            double got = TestViews.get(dst, idx);
            String what = op + " " + dt + " shape " + java.util.Arrays.toString(shape) + " reduced " + java.util.Arrays.toString(reduced);
            if (dt == DType.F32 && op == ReduceOp.PROD) {
                assertEquals(want, got, 1e-6 * Math.abs(want) + 1e-30, what);
            } else if (dt == DType.F32 && op == ReduceOp.SUM) {
                assertEquals(want, got, 1e-6 * (Math.abs(want) + 1), what);
            } else if (dt == DType.F64 && (op == ReduceOp.SUM || op == ReduceOp.PROD)) {
                assertEquals(want, got, 1e-12 * (Math.abs(want) + 1), what);
            } else {
                assertEquals(want, got, 0.0, what);
            }
        }
    }

    @Test
    void everyOpDtypeAndSubsetOfDims() {
        Random r = new Random(8);
        for (ReduceOp op : ReduceOp.values()) {
            boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
            for (DType dt : ALL) {
                for (int[] shape : SHAPES) {
                    int rank = shape.length;
                    boolean empty = TestViews.numel(shape) == 0;
                    if (shape.length > 0 && shape[0] * shape.length > 5000 && op == ReduceOp.PROD) {
                        continue;
                    }
                    for (int mask = 0; mask < (1 << rank); mask++) {
                        if (arg && Integer.bitCount(mask) != 1 && rank > 0) {
                            continue;
                        }
                        if (empty && op != ReduceOp.SUM && op != ReduceOp.PROD) {
                            continue;
                        }
                        boolean[] reduced = new boolean[rank];
                        for (int d = 0; d < rank; d++) {
                            reduced[d] = (mask >> d & 1) != 0;
                        }
                        checkReduction(r, op, dt, shape, reduced);
                    }
                }
            }
        }
    }

    @Test
    void nanPropagatesAndArgReductionsPickTheFirstExtreme() {
        float nan = Float.NaN;
        NDArray x = NDArray.fromHost(new float[] {1, 5, 5, nan, 7, nan, 2, 2, -1, -1, 0, 3}, DType.F32, Device.CPU, 2, 6);
        NDArray mx = NDArray.fromHost(new float[2], DType.F32, Device.CPU, 2, 1);
        be.reduce(ReduceOp.MAX, x, mx);
        float[] m = (float[]) ((CpuStorage) mx.storage()).data();
        assertTrue(Float.isNaN(m[0]));
        assertEquals(3f, m[1]);
        NDArray am = NDArray.fromHost(new long[2], DType.I64, Device.CPU, 2, 1);
        long[] a = (long[]) ((CpuStorage) am.storage()).data();
        be.reduce(ReduceOp.ARGMAX, x, am);
        assertArrayEquals(new long[] {3, 5}, a);
        be.reduce(ReduceOp.ARGMIN, x, am);
        assertArrayEquals(new long[] {3, 2}, a);
        // ties along an inner (stride 1) and along an outer (column-wise strategy) reduced dimension
        float[] host = {2, 1, 9, 9, 2, 1, 9, 9, 0, 4, 9, nan, 0, 4, 9, 9, 1, 1, 1, 1};
        NDArray flat = NDArray.fromHost(host, DType.F32, Device.CPU, 20);
        NDArray rows = NDArray.fromHost(new long[10], DType.I64, Device.CPU, 10, 1);
        be.reduce(ReduceOp.ARGMAX, flat.asStrided(new int[] {10, 2}, new int[] {2, 1}, 0), rows);
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 0, 0, 0}, (long[]) ((CpuStorage) rows.storage()).data());
        NDArray cols = NDArray.fromHost(new long[10], DType.I64, Device.CPU, 1, 10);
        be.reduce(ReduceOp.ARGMAX, flat.asStrided(new int[] {2, 10}, new int[] {10, 1}, 0), cols);
        assertArrayEquals(new long[] {1, 1, 0, 0, 1, 1, 0, 0, 1, 0}, (long[]) ((CpuStorage) cols.storage()).data());
        be.reduce(ReduceOp.ARGMIN, flat.asStrided(new int[] {2, 10}, new int[] {10, 1}, 0), cols);
        assertArrayEquals(new long[] {0, 1, 1, 1, 0, 0, 1, 1, 0, 1}, (long[]) ((CpuStorage) cols.storage()).data());
        NDArray colMax = NDArray.fromHost(new float[10], DType.F32, Device.CPU, 1, 10);
        be.reduce(ReduceOp.MAX, flat.asStrided(new int[] {2, 10}, new int[] {10, 1}, 0), colMax);
        float[] cm = (float[]) ((CpuStorage) colMax.storage()).data();
        assertTrue(Float.isNaN(cm[1]) && cm[0] == 9 && cm[9] == 4, java.util.Arrays.toString(cm));
    }

    @Test
    void longFloatSumsStayAccurate() {
        int n = (1 << 21) + 3;
        float[] v = new float[n];
        double exact = 0;
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f + (i % 7) * 1e-3f;
            exact += v[i];
        }
        NDArray x = NDArray.fromHost(v, DType.F32, Device.CPU, n);
        NDArray s = NDArray.fromHost(new float[1], DType.F32, Device.CPU, 1);
        be.reduce(ReduceOp.SUM, x, s);
        float got = ((float[]) ((CpuStorage) s.storage()).data())[0];
        assertEquals(exact, got, 1e-6 * exact, "naive float accumulation would be off by ~1e-3 relative");
    }

    @Test
    void integerSumsWidenToI64AndEmptyReductionsGiveIdentity() {
        NDArray x = NDArray.fromHost(new int[] {2_000_000_000, 2_000_000_000, 2_000_000_000, 2_000_000_000}, DType.I32, Device.CPU, 4);
        NDArray s = NDArray.fromHost(new long[1], DType.I64, Device.CPU, 1);
        be.reduce(ReduceOp.SUM, x, s);
        assertEquals(8_000_000_000L, ((long[]) ((CpuStorage) s.storage()).data())[0]);
        NDArray u = NDArray.fromHost(new byte[] {(byte) 200, (byte) 100}, DType.U8, Device.CPU, 2);
        be.reduce(ReduceOp.SUM, u, s);
        assertEquals(300L, ((long[]) ((CpuStorage) s.storage()).data())[0]);
        NDArray empty = NDArray.fromHost(new float[0], DType.F32, Device.CPU, 3, 0);
        NDArray out = NDArray.fromHost(new float[] {7, 7, 7}, DType.F32, Device.CPU, 3, 1);
        be.reduce(ReduceOp.SUM, empty, out);
        assertArrayEquals(new float[3], (float[]) ((CpuStorage) out.storage()).data());
        be.reduce(ReduceOp.PROD, empty, out);
        assertArrayEquals(new float[] {1, 1, 1}, (float[]) ((CpuStorage) out.storage()).data());
    }

    @Test
    void resultsAreBitwiseIndependentOfThreadCount() {
        Random r = new Random(9);
        NDArray x = TestViews.randomView(r, DType.F32, new int[] {300, 2000}, true);
        int[][] outShapes = {{1, 1}, {300, 1}, {1, 2000}};
        for (int[] os : outShapes) {
            float[][] results = new float[3][];
            for (int t = 1; t <= 3; t++) {
                NDArray d = NDArray.fromHost(new float[os[0] * os[1]], DType.F32, Device.CPU, os);
                new CpuBackend(new Parallel(t), null, null).reduce(ReduceOp.SUM, x, d);
                results[t - 1] = (float[]) ((CpuStorage) d.storage()).data();
            }
            assertArrayEquals(results[0], results[1], java.util.Arrays.toString(os));
            assertArrayEquals(results[0], results[2], java.util.Arrays.toString(os));
        }
    }
}
