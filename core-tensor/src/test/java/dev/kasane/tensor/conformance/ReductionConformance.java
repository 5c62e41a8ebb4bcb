package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.BatchNorm;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reductions: sum, prod, mean, max/min/amax/amin, argmax/argmin, var/std, logSumExp, softmax/logSoftmax, any/all/
 * allClose, over every dim, several dims, all dims, with and without keepDim, on every layout and size.
 *
 * <p>Tolerances: structural tests use integer-valued data whose sums are exact in F32 (|partial sums| < 2^24), so
 * any order of summation gives the exact result and the exact-op tolerance applies. Precision tests on real-valued
 * F32 data allow {@code 2 * sqrt(n) * 2^-23 * sum|x|} absolute per output (n = elements reduced), F64 the same with
 * 2^-52.
 */
public abstract class ReductionConformance extends ConformanceBase {

    /** The value reductions taking a list of dims. */
    public enum Red {
        SUM, PROD, AMAX, AMIN, MEAN;

        NDArray apply(NDArray a, int[] dims, boolean keepDim) {
            switch (this) {
                case SUM: return a.reduce(ReduceOp.SUM, dims, keepDim);
                case PROD: return a.reduce(ReduceOp.PROD, dims, keepDim);
                case AMAX: return a.reduce(ReduceOp.MAX, dims, keepDim);
                case AMIN: return a.reduce(ReduceOp.MIN, dims, keepDim);
                default: return a.mean(dims, keepDim);
            }
        }

        ToDoubleFunction<double[]> ref() {
            switch (this) {
                case SUM: return g -> Arrays.stream(g).sum();
                case PROD: return g -> {
                    double p = 1;
                    for (double x : g) {
                        p *= x;
                    }
                    return p;
                };
                case AMAX: return g -> Arrays.stream(g).reduce(Double.NEGATIVE_INFINITY, Ref::maxNaN);
                case AMIN: return g -> Arrays.stream(g).reduce(Double.POSITIVE_INFINITY, Ref::minNaN);
                default: return g -> Arrays.stream(g).sum() / g.length;
            }
        }

        DType resultType(DType t) {
            return (this == SUM || this == PROD) && !t.isFloating() ? DType.I64 : t;
        }

        DType[] dtypes() {
            switch (this) {
                case MEAN: return FLOATS;
                default: return ALL;
            }
        }

        boolean throwsOnEmpty() {
            return this == AMAX || this == AMIN;
        }
    }

    /** Dim lists to reduce for an array of rank {@code r} ({@code null} means all). */
    /** Dim sets to reduce over for a rank: null (all), single dims, negative dims, pairs. */
    public static List<int[]> dimSets(int r) {
        List<int[]> l = new ArrayList<>();
        l.add(null);
        switch (r) {
            case 0:
                l.add(new int[] {0});
                l.add(new int[] {-1});
                break;
            case 1:
                l.add(new int[] {0});
                l.add(new int[] {-1});
                break;
            case 2:
                l.add(new int[] {0});
                l.add(new int[] {1});
                l.add(new int[] {-2});
                l.add(new int[] {-1, 0});
                break;
            default:
                l.add(new int[] {0});
                l.add(new int[] {1});
                l.add(new int[] {-1});
                l.add(new int[] {2, 0});
                l.add(new int[] {-3, -2});
                l.add(new int[] {0, 1, 2});
        }
        return l;
    }

    private static final int[][] RED_SHAPES = {{}, {1}, {7}, {13, 5}, {2, 3, 5}, {3, 0, 2}, {70_001}, {257, 129}};
    private static final Layout[] BIG_LAYOUTS = {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP2,
        Layout.BROADCAST_OUTER, Layout.MIXED};

    private static boolean reducesEmpty(int[] shape, int[] dims) {
        boolean[] m = new Ref(shape, new double[Ref.numel(shape)]).mask(dims);
        for (int d = 0; d < shape.length; d++) {
            if (m[d] && shape[d] == 0) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(Red.class)
    void reduceEveryDimLayoutAndDtypeExactly(Red op) {
        Random r = rnd(1000);
        Failures f = new Failures();
        for (DType t : op.dtypes()) {
            for (int[] shape : RED_SHAPES) {
                boolean big = Ref.numel(shape) > 10_000;
                Gen g;
                if (op == Red.PROD) {
                    // +-1 with a few 2s (0.5s for floats): products stay exact and in range; only +1 for U8/BOOL
                    g = (rr, tt) -> {
                        if (tt == DType.BOOL) {
                            return rr.nextInt(50) == 0 ? 0 : 1;
                        }
                        int k = rr.nextInt(40);
                        if (!big && k == 0) {
                            return 2;
                        }
                        if (!big && k == 1 && tt.isFloating()) {
                            return 0.5;
                        }
                        return tt == DType.U8 || k % 2 == 0 ? 1 : -1;
                    };
                } else {
                    // integer-valued, so that every summation order is exact in F32
                    g = (rr, tt) -> tt == DType.BOOL ? rr.nextInt(2) : tt == DType.U8 ? rr.nextInt(256) : rr.nextInt(17) - 8;
                }
                for (Layout l : big ? BIG_LAYOUTS : Layout.values()) {
                    Input a = input(shape, t, l, r, g);
                    for (int[] dims : dimSets(shape.length)) {
                        for (boolean keep : new boolean[] {false, true}) {
                            String ctx = op + " dims " + Arrays.toString(dims) + " keepDim " + keep + " of " + a;
                            if (op.throwsOnEmpty() && reducesEmpty(shape, dims)) {
                                f.check(ctx, () -> assertThrows(IllegalArgumentException.class,
                                        () -> op.apply(a.a(), dims, keep)));
                                continue;
                            }
                            f.check(ctx, () -> {
                                NDArray out = op.apply(a.a(), dims, keep);
                                assertEquals(op.resultType(t), out.dtype(), "dtype");
                                assertExact(op.toString(), a.ref().reduce(dims, keep, op.ref()), out);
                            });
                        }
                    }
                }
            }
        }
        f.done();
    }

    @Test
    void batchNormForwardAndBackwardMatchADoubleReference() {
        Random r = rnd(880);
        Failures f = new Failures();
        int[][] shapes = {{4, 3, 5, 6}, {8, 5}, {3, 4, 7}, {16, 8, 9, 9}, {1, 2, 33, 40}};
        for (int[] shape : shapes) {
            for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP}) {
                for (DType t : FLOATS) {
                    for (boolean affine : new boolean[] {true, false}) {
                        Input x = input(shape, t, l, r, GENERAL);
                        Input g = input(shape, t, Layout.CONTIGUOUS, r, GENERAL);
                        int c = shape[1];
                        Input w = input(s(c), t, Layout.CONTIGUOUS, r, GENERAL);
                        Input b = input(s(c), t, Layout.CONTIGUOUS, r, GENERAL);
                        double eps = 1e-5;
                        double rtol = t == DType.F32 ? 1e-4 : 1e-10;
                        f.check("batchNorm " + x + (affine ? " affine" : ""), () -> {
                            NDArray[] got = BatchNorm.forward(x.a(), affine ? w.a() : null, affine ? b.a() : null, eps);
                            NDArray[] grads = BatchNorm.backward(g.a(), x.a(), affine ? w.a() : null, got[1], got[2], eps);
                            Ref[] want = batchNormReference(x.ref(), g.ref(), affine ? w.ref() : null, affine ? b.ref() : null, eps);
                            assertClose("mean", want[1], got[1], rtol, rtol);
                            assertClose("var", want[2], got[2], rtol, rtol);
                            assertClose("y", want[0], got[0], rtol, rtol * 10);
                            assertClose("dx", want[3], grads[0], rtol, rtol * 10);
                            if (affine) {
                                assertClose("dweight", want[4], grads[1], rtol, rtol * 10);
                            } else {
                                assertEquals(null, grads[1], "dweight without a weight");
                            }
                            assertClose("dbias", want[5], grads[2], rtol, rtol * 10);
                        });
                    }
                }
            }
        }
        f.done();
        // a large mean (1000 + N(0, 1)) must not destroy the normalized values
        Random big = rnd(881);
        double[] v = new double[2 * 3 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + big.nextGaussian();
        }
        for (DType t : FLOATS) {
            Ref x = new Ref(s(2, 3, 64), v);
            NDArray[] got = BatchNorm.forward(upload(x, t), null, null, 1e-5);
            Ref[] want = batchNormReference(x.castTo(t), x.map(u -> 1), null, null, 1e-5);
            assertClose("batchNorm of values around 1000, " + t, want[0], got[0], 0, t == DType.F32 ? 2e-3 : 1e-9);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.forward(upload(Ref.of(s(2, 3, 4), i -> i), DType.F32), upload(Ref.of(s(4), i -> 1), DType.F32), null, 1e-5));
        assertTrue(e.getMessage().contains("batchNorm") && e.getMessage().contains("[4] F32")
                && e.getMessage().contains("[2, 3, 4] F32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.forward(upload(Ref.of(s(5), i -> i), DType.F64), null, null, 1e-5));
        assertTrue(e.getMessage().contains("at least 2-D"), e.getMessage());
    }

    /** {y, mean, var, dx, dweight, dbias} in double, straight from the definitions. */
    private static Ref[] batchNormReference(Ref x, Ref g, Ref w, Ref b, double eps) {
        int n = x.shape[0];
        int c = x.shape[1];
        int sp = x.v.length / (n * c);
        double count = (double) n * sp;
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] y = new double[x.v.length];
        double[] dx = new double[x.v.length];
        double[] dw = new double[c];
        double[] db = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    sum += x.v[(i * c + ch) * sp + j];
                }
            }
            double m = sum / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    double d = x.v[(i * c + ch) * sp + j] - m;
                    sq += d * d;
                }
            }
            double vr = sq / count;
            double inv = 1 / Math.sqrt(vr + eps);
            double wc = w == null ? 1 : w.v[ch];
            double bc = b == null ? 0 : b.v[ch];
            double sg = 0;
            double sgx = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    int at = (i * c + ch) * sp + j;
                    double xh = (x.v[at] - m) * inv;
                    y[at] = xh * wc + bc;
                    sg += g.v[at];
                    sgx += g.v[at] * xh;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    int at = (i * c + ch) * sp + j;
                    double xh = (x.v[at] - m) * inv;
                    dx[at] = wc * inv * (g.v[at] - sg / count - xh * sgx / count);
                }
            }
            mean[ch] = m;
            var[ch] = vr;
            dw[ch] = sgx;
            db[ch] = sg;
        }
        return new Ref[] {new Ref(x.shape, y), new Ref(s(c), mean), new Ref(s(c), var), new Ref(x.shape, dx),
            new Ref(s(c), dw), new Ref(s(c), db)};
    }

    @Test
    void singleDimAndNoArgumentOverloads() {
        Random r = rnd(1100);
        Input a = input(s(4, 6), DType.F64, Layout.PERMUTED, r, GENERAL);
        Ref x = a.ref();
        assertExact("sum()", x.reduce(null, false, Red.SUM.ref()), a.a().reduce(ReduceOp.SUM));
        assertArrayEquals(new int[0], a.a().reduce(ReduceOp.SUM).shape(), "sum() is 0-d");
        assertExact("sum(1)", x.reduce(new int[] {1}, false, Red.SUM.ref()), a.a().reduce(ReduceOp.SUM, 1, false));
        assertExact("sum(-2, true)", x.reduce(new int[] {0}, true, Red.SUM.ref()), a.a().reduce(ReduceOp.SUM, -2, true));
        assertExact("prod()", x.reduce(null, false, Red.PROD.ref()), a.a().reduce(ReduceOp.PROD));
        assertExact("prod(0, false)", x.reduce(new int[] {0}, false, Red.PROD.ref()), a.a().reduce(ReduceOp.PROD, 0, false));
        assertExact("mean()", x.reduce(null, false, Red.MEAN.ref()), a.a().mean());
        assertExact("mean(1, true)", x.reduce(new int[] {1}, true, Red.MEAN.ref()), a.a().mean(1, true));
        assertExact("max()", x.reduce(null, false, Red.AMAX.ref()), a.a().reduce(ReduceOp.MAX));
        assertExact("max(0, true)", x.reduce(new int[] {0}, true, Red.AMAX.ref()), a.a().reduce(ReduceOp.MAX, 0, true));
        assertExact("min()", x.reduce(null, false, Red.AMIN.ref()), a.a().reduce(ReduceOp.MIN));
        assertExact("min(-1, false)", x.reduce(new int[] {1}, false, Red.AMIN.ref()), a.a().reduce(ReduceOp.MIN, -1, false));
    }

    @Test
    void floatSumsArePrecise() {
        Random r = rnd(1200);
        Failures f = new Failures();
        for (DType t : FLOATS) {
            double eps = t == DType.F32 ? EPS32 : EPS64;
            for (int[] shape : new int[][] {{70_001}, {257, 129}, {3, 1001, 7}}) {
                for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP}) {
                    for (Gen g : new Gen[] {range(-1, 1), range(0.05, 0.15)}) {
                        Input a = input(shape, t, l, r, g);
                        for (int[] dims : dimSets(shape.length)) {
                            f.check("sum " + Arrays.toString(dims) + " " + a, () -> {
                                Ref exp = a.ref().reduce(dims, false, Red.SUM.ref());
                                Ref tol = a.ref().reduce(dims, false,
                                        gr -> 2 * Math.sqrt(gr.length) * eps * Arrays.stream(gr).map(Math::abs).sum());
                                Ref cnt = a.ref().reduce(dims, false, gr -> gr.length);
                                double[] got = a.a().reduce(ReduceOp.SUM, dims, false).toDoubleArray();
                                double[] mean = a.a().mean(dims, false).toDoubleArray();
                                for (int i = 0; i < got.length; i++) {
                                    assertTrue(Math.abs(got[i] - exp.v[i]) <= tol.v[i], "sum at " + i + ": expected "
                                            + exp.v[i] + " got " + got[i] + " tolerance " + tol.v[i]);
                                    double mt = tol.v[i] / cnt.v[i] + 2 * eps * Math.abs(exp.v[i] / cnt.v[i]);
                                    assertTrue(Math.abs(mean[i] - exp.v[i] / cnt.v[i]) <= mt, "mean at " + i + ": expected "
                                            + exp.v[i] / cnt.v[i] + " got " + mean[i] + " tolerance " + mt);
                                }
                            });
                        }
                    }
                }
            }
        }
        f.done();
        float[] tenths = new float[70_001];
        Arrays.fill(tenths, 0.1f);
        double exact = 70_001 * (double) 0.1f;
        double got = NDArray.fromHost(tenths, DType.F32, device(), 70_001).reduce(ReduceOp.SUM).item();
        assertEquals(exact, got, 2 * Math.sqrt(70_001) * EPS32 * exact, "sum of 70001 x 0.1f");
    }

    @Test
    void integerSumsAreI64AndExact() {
        NDArray i32 = NDArray.fromHost(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 2}, DType.I32, device(), 3);
        NDArray s = i32.reduce(ReduceOp.SUM);
        assertEquals(DType.I64, s.dtype());
        assertEquals(2L * Integer.MAX_VALUE + 2, s.itemLong(), "I32 sum must not overflow int");
        NDArray i64 = NDArray.fromHost(new long[] {(1L << 60) + 1, 1, -3}, DType.I64, device(), 3);
        assertEquals((1L << 60) - 1, i64.reduce(ReduceOp.SUM).itemLong(), "I64 sum must be exact beyond 2^53");
        assertEquals(-3L * ((1L << 60) + 1), i64.reduce(ReduceOp.PROD).itemLong(), "I64 prod exact");
        byte[] u = new byte[70_001];
        Arrays.fill(u, (byte) 255);
        NDArray u8 = NDArray.fromHost(u, DType.U8, device(), 70_001);
        assertEquals(DType.I64, u8.reduce(ReduceOp.SUM).dtype());
        assertEquals(255L * 70_001, u8.reduce(ReduceOp.SUM).itemLong(), "U8 sums read 0..255");
        assertEquals(255, u8.reduce(ReduceOp.MAX).itemLong(), "U8 max reads 0..255");
        assertEquals(DType.U8, u8.reduce(ReduceOp.MAX).dtype());
        byte[] b = new byte[70_001];
        for (int i = 0; i < b.length; i += 3) {
            b[i] = 1;
        }
        NDArray bool = NDArray.fromHost(b, DType.BOOL, device(), 70_001);
        assertEquals(DType.I64, bool.reduce(ReduceOp.SUM).dtype());
        assertEquals(23_334, bool.reduce(ReduceOp.SUM).itemLong(), "BOOL sum counts");
        NDArray pu8 = vec(DType.U8, 200, 2);
        assertEquals(DType.I64, pu8.reduce(ReduceOp.PROD).dtype());
        assertEquals(400, pu8.reduce(ReduceOp.PROD).itemLong(), "U8 prod goes to I64 without wrapping");
    }

    @Test
    void reductionsOverEmptyDims() {
        for (DType t : ALL) {
            NDArray e = NDArray.zeros(t, device(), 3, 0, 2);
            NDArray sum = e.reduce(ReduceOp.SUM, new int[] {1}, false);
            assertArrayEquals(new int[] {3, 2}, sum.shape());
            assertValues("sum over empty dim " + t, t.isFloating() ? t : DType.I64, Ref.of(s(3, 2), i -> 0), sum);
            assertValues("sum of empty " + t, t.isFloating() ? t : DType.I64, Ref.values(s(), 0), e.reduce(ReduceOp.SUM));
            assertValues("prod of empty " + t, t.isFloating() ? t : DType.I64, Ref.of(s(3, 1, 2), i -> 1),
                    e.reduce(ReduceOp.PROD, new int[] {1}, true));
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.MAX), "max of empty " + t);
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.MIN), "min of empty " + t);
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.MAX, 1, false), "max over empty dim " + t);
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.MIN, new int[] {0, 1}, true), "amin over empty dim " + t);
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.ARGMAX, 1, false), "argmax over empty dim " + t);
            assertThrows(IllegalArgumentException.class, () -> e.reduce(ReduceOp.ARGMIN), "argmin of empty " + t);
            NDArray m = e.reduce(ReduceOp.MAX, 0, false);
            assertArrayEquals(new int[] {0, 2}, m.shape(), "max over a non-empty dim of an empty array " + t);
        }
        NDArray mean = NDArray.zeros(DType.F32, device(), 0).mean();
        assertTrue(Double.isNaN(mean.item()), "mean of nothing is NaN");
    }

    @Test
    void maxMinPropagateNaN() {
        double nan = Double.NaN;
        for (DType t : FLOATS) {
            NDArray x = arr(t, s(2, 3), 1, nan, 3, 4, 5, 6);
            assertTrue(Double.isNaN(x.reduce(ReduceOp.MAX).item()), "max with NaN " + t);
            assertTrue(Double.isNaN(x.reduce(ReduceOp.MIN).item()), "min with NaN " + t);
            assertVec("max over dim 1 " + t, x.reduce(ReduceOp.MAX, 1, false), nan, 6);
            assertVec("amin over dim 0 " + t, x.reduce(ReduceOp.MIN, new int[] {0}, false), 1, nan, 3);
            NDArray big = NDArray.zeros(t, device(), 70_001);
            big.narrow(0, 69_999, 1).fillInPlace(nan);
            assertTrue(Double.isNaN(big.reduce(ReduceOp.MAX).item()), "NaN near the tail of a big array " + t);
            assertTrue(Double.isNaN(big.reduce(ReduceOp.SUM).item()), "NaN sums to NaN " + t);
            NDArray inf = vec(t, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
            assertEquals(Double.NEGATIVE_INFINITY, inf.reduce(ReduceOp.MAX).item(), "max of all -inf " + t);
        }
    }

    // ------------------------------------------------------------------------------------------ arg-reductions

    static double argRef(double[] g, boolean max) {
        int best = 0;
        for (int i = 0; i < g.length; i++) {
            if (Double.isNaN(g[best])) {
                break;
            }
            if (Double.isNaN(g[i]) || (max ? g[i] > g[best] : g[i] < g[best])) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void argmaxArgminFirstOccurrenceAndNaN() {
        Random r = rnd(1300);
        Failures f = new Failures();
        Gen ties = (rr, t) -> {
            if (t.isFloating() && rr.nextInt(30) == 0) {
                return Double.NaN;
            }
            return t == DType.BOOL ? rr.nextInt(2) : rr.nextInt(3);
        };
        for (DType t : ALL) {
            for (int[] shape : new int[][] {{}, {1}, {7}, {13, 5}, {2, 3, 5}, {70_001}, {257, 129}}) {
                boolean big = Ref.numel(shape) > 10_000;
                for (Layout l : big ? BIG_LAYOUTS : Layout.values()) {
                    Input a = input(shape, t, l, r, ties);
                    for (int d = -1; d < Math.max(shape.length, 1); d++) {
                        int dim = d;
                        for (boolean keep : new boolean[] {false, true}) {
                            String ctx = "dim " + dim + " keepDim " + keep + " " + a;
                            f.check("argmax " + ctx, () -> {
                                NDArray out = a.a().reduce(ReduceOp.ARGMAX, dim, keep);
                                assertValues("argmax", DType.I64, a.ref().reduce(new int[] {dim}, keep, g -> argRef(g, true)), out);
                            });
                            f.check("argmin " + ctx, () -> {
                                NDArray out = a.a().reduce(ReduceOp.ARGMIN, dim, keep);
                                assertValues("argmin", DType.I64, a.ref().reduce(new int[] {dim}, keep, g -> argRef(g, false)), out);
                            });
                        }
                    }
                    f.check("flat argmax " + a, () -> {
                        NDArray out = a.a().reduce(ReduceOp.ARGMAX);
                        assertArrayEquals(new int[0], out.shape());
                        assertEquals((long) argRef(a.ref().v, true), out.itemLong());
                        assertEquals((long) argRef(a.ref().v, false), a.a().reduce(ReduceOp.ARGMIN).itemLong());
                    });
                }
            }
        }
        f.done();
        NDArray x = vec(DType.F32, 3, 7, 7, 1, 1);
        assertEquals(1, x.reduce(ReduceOp.ARGMAX).itemLong(), "first maximum");
        assertEquals(3, x.reduce(ReduceOp.ARGMIN).itemLong(), "first minimum");
        NDArray n = vec(DType.F64, 3, Double.NaN, 9, Double.NaN);
        assertEquals(1, n.reduce(ReduceOp.ARGMAX).itemLong(), "NaN counts as the maximum");
        assertEquals(1, n.reduce(ReduceOp.ARGMIN).itemLong(), "NaN counts as the minimum");
    }
}
