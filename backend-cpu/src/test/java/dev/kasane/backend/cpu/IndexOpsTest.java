package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.Ref;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** gather and scatterAdd: references on random layouts, index validation, dst untouched on error, determinism. */
class IndexOpsTest {
    private final CpuBackend be = new CpuBackend(new Parallel(2), null, null);

    /**
     * A random index shape against the data's {@code shape}: 1 to {@code spread * shape[dim]} along {@code dim} (so
     * indices repeat), 1 to {@code shape[d]} along every other dimension.
     */
    private static int[] indexShape(Random r, int[] shape, int dim, int spread) {
        int[] is = shape.clone();
        for (int d = 0; d < is.length; d++) {
            is[d] = d == dim ? 1 + r.nextInt(spread * shape[d]) : 1 + r.nextInt(shape[d]);
        }
        return is;
    }

    /** A random index view of {@code shape} with values in {@code [0, bound)}, I32 or I64, sometimes expanded. */
    private static NDArray randomIndex(Random r, int[] shape, int bound, DType dt) {
        int[] small = shape.clone();
        boolean expand = shape.length > 1 && r.nextBoolean();
        if (expand) {
            small[0] = 1;
        }
        TestViews.Layout l = TestViews.random(r, small);
        Object host = dt.newHostArray(l.size);
        for (int i = 0; i < l.size; i++) {
            if (dt == DType.I32) {
                ((int[]) host)[i] = r.nextInt(bound);
            } else {
                ((long[]) host)[i] = r.nextInt(bound);
            }
        }
        NDArray v = TestViews.view(host, dt, small, l);
        if (expand) {
            int[] st = v.strides();
            st[0] = 0;
            v = v.asStrided(shape, st, v.offset());
        }
        return v;
    }

    @Test
    void gatherMatchesReferenceForEveryDtypeAndLayout() {
        Random r = new Random(21);
        DType[] types = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8, DType.BOOL};
        for (DType dt : types) {
            for (int[] ss : new int[][] {{5}, {4, 6}, {3, 5, 7}, {40, 1000}}) {
                for (int dim = 0; dim < ss.length; dim++) {
                    int[] is = indexShape(r, ss, dim, 2);
                    NDArray src = TestViews.randomView(r, dt, ss, false);
                    NDArray index = randomIndex(r, is, ss[dim], r.nextBoolean() ? DType.I32 : DType.I64);
                    NDArray dst = TestViews.randomDst(r, dt, is);
                    be.gather(src, dim, index, dst);
                    for (int[] idx : TestViews.indices(is)) {
                        int[] from = idx.clone();
                        from[dim] = (int) TestViews.getLong(index, idx);
                        assertEquals(TestViews.get(src, from), TestViews.get(dst, idx), 0.0, "gather " + dt + " dim " + dim);
                    }
                }
            }
        }
    }

    @Test
    void scatterAddMatchesReferenceWithDuplicates() {
        Random r = new Random(22);
        DType[] types = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8};
        for (DType dt : types) {
            for (int[] ds : new int[][] {{5}, {4, 6}, {3, 5, 7}, {30, 500}}) {
                for (int dim = 0; dim < ds.length; dim++) {
                    int[] is = indexShape(r, ds, dim, 3);
                    NDArray dst = TestViews.randomView(r, dt, ds, false);
                    double[] want = new double[TestViews.numel(ds)];
                    double[] mag = new double[want.length];
                    int k = 0;
                    for (int[] idx : TestViews.indices(ds)) {
                        mag[k] = Math.abs(TestViews.get(dst, idx));
                        want[k++] = TestViews.get(dst, idx);
                    }
                    NDArray index = randomIndex(r, is, ds[dim], r.nextBoolean() ? DType.I32 : DType.I64);
                    NDArray src = TestViews.randomView(r, dt, is, false);
                    for (int[] idx : TestViews.indices(is)) {
                        int[] to = idx.clone();
                        to[dim] = (int) TestViews.getLong(index, idx);
                        int lin = 0;
                        for (int d = 0; d < ds.length; d++) {
                            lin = lin * ds[d] + to[d];
                        }
                        want[lin] += TestViews.get(src, idx);
                        mag[lin] += Math.abs(TestViews.get(src, idx));
                    }
                    be.scatterAdd(dst, dim, index, src);
                    k = 0;
                    for (int[] idx : TestViews.indices(ds)) {
                        String what = "scatterAdd " + dt + " dim " + dim + " " + java.util.Arrays.toString(ds);
                        double tol = dt == DType.F32 ? 1e-6 * mag[k] : dt == DType.F64 ? 1e-14 * mag[k] : 0;
                        assertEquals(Ref.cast(want[k], dt), TestViews.get(dst, idx), tol, what);
                        k++;
                    }
                }
            }
        }
    }

    @Test
    void badIndicesAreReportedAndScatterLeavesDstUnchanged() {
        NDArray src = NDArray.fromHost(new float[15], DType.F32, Device.CPU, 3, 5);
        NDArray idx = NDArray.fromHost(new long[] {0, 4, 7, 1, 2, 3}, DType.I64, Device.CPU, 3, 2);
        NDArray dst = NDArray.fromHost(new float[6], DType.F32, Device.CPU, 3, 2);
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> be.gather(src, 1, idx, dst));
        assertEquals("gather: index 7 out of range for dimension 1 of size 5", g.getMessage());
        NDArray neg = NDArray.fromHost(new int[] {0, -1}, DType.I32, Device.CPU, 1, 2);
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> be.gather(src, 1, neg, NDArray.fromHost(new float[2], DType.F32, Device.CPU, 1, 2)));
        assertEquals("gather: index -1 out of range for dimension 1 of size 5", n.getMessage());

        float[] init = new float[15];
        for (int i = 0; i < 15; i++) {
            init[i] = i;
        }
        NDArray target = NDArray.fromHost(init.clone(), DType.F32, Device.CPU, 3, 5);
        // the bad index is the last element, after good ones that a careless implementation would already have added
        NDArray bad = NDArray.fromHost(new long[] {0, 1, 2, 3, 4, 5}, DType.I64, Device.CPU, 3, 2);
        NDArray ones = NDArray.fromHost(new float[] {1, 1, 1, 1, 1, 1}, DType.F32, Device.CPU, 3, 2);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> be.scatterAdd(target, 1, bad, ones));
        assertEquals("scatterAdd: index 5 out of range for dimension 1 of size 5", s.getMessage());
        assertArrayEquals(init, (float[]) ((CpuStorage) target.storage()).data());
    }

    @Test
    void scatterAddIsBitwiseIndependentOfThreadCount() {
        Random r = new Random(23);
        int rows = 64;
        int cols = 4000;
        long[] ih = new long[rows * cols];
        float[] sh = new float[rows * cols];
        for (int i = 0; i < ih.length; i++) {
            ih[i] = r.nextInt(3);
            sh[i] = (float) r.nextGaussian() * 1000;
        }
        NDArray index = NDArray.fromHost(ih, DType.I64, Device.CPU, rows, cols);
        NDArray src = NDArray.fromHost(sh, DType.F32, Device.CPU, rows, cols);
        float[][] out = new float[3][];
        for (int t = 1; t <= 3; t++) {
            NDArray dst = NDArray.fromHost(new float[3 * cols], DType.F32, Device.CPU, 3, cols);
            new CpuBackend(new Parallel(t), null, null).scatterAdd(dst, 0, index, src);
            out[t - 1] = (float[]) ((CpuStorage) dst.storage()).data();
        }
        assertArrayEquals(out[0], out[1]);
        assertArrayEquals(out[0], out[2]);
    }
}
