package dev.kasane.autograd.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.ConformanceBase;
import dev.kasane.tensor.conformance.ReductionConformance;
import dev.kasane.tensor.conformance.Ref;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The composite ops written once in core-autograd over the primitives (variance, standard deviation, logSumExp,
 * softmax, log-softmax, any/all/allClose, takeAlongDim, oneHot), checked on a backend's device against a double-precision reference over
 * contiguous, permuted, offset, negative-step and broadcast layouts. A backend module runs it by subclassing with a
 * {@code *Test} class that returns its device, as for core-tensor's conformance suites.
 */
public abstract class CompositeConformance extends ConformanceBase {
    private static List<int[]> dimSets(int rank) {
        return ReductionConformance.dimSets(rank);
    }

    /** A check of one float input {@code a} of dtype {@code t} within relative tolerance {@code rtol}, recorded in {@code f}. */
    private interface FloatInputCheck {
        void check(DType t, double rtol, Input a, Failures f);
    }

    /**
     * Runs {@code check} on an input of each of {@code shapes} in each of {@code layouts}, in F32 (relative tolerance
     * {@code rtol32}) and F64 ({@code rtol64}), with values from {@code g} drawn from one random stream of {@code seed};
     * then fails with every recorded failure.
     */
    private void forEachFloatInput(long seed, double rtol32, double rtol64, int[][] shapes, Layout[] layouts, Gen g,
            FloatInputCheck check) {
        Random r = rnd(seed);
        Failures f = new Failures();
        for (DType t : FLOATS) {
            double rtol = t == DType.F32 ? rtol32 : rtol64;
            for (int[] shape : shapes) {
                for (Layout l : layouts) {
                    check.check(t, rtol, input(shape, t, l, r, g), f);
                }
            }
        }
        f.done();
    }

    @Test
    void varianceAndStd() {
        // an offset of 1000 catches the one-pass E[x^2] - E[x]^2 formula in F32
        forEachFloatInput(1400, 2e-5, 1e-11, new int[][] {{7}, {13, 5}, {2, 3, 5}, {257, 129}},
                new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.OFFSET, Layout.NEG_STEP2}, range(999, 1001), (t, rtol, a, f) -> {
            for (int[] dims : dimSets(a.ref().shape.length)) {
                for (int corr = 0; corr <= 1; corr++) {
                    int c = corr;
                    for (boolean keep : new boolean[] {false, true}) {
                        f.check("var corr " + c + " dims " + Arrays.toString(dims) + " keep " + keep + " " + a, () -> {
                            Ref v = a.ref().reduce(dims, keep, g -> {
                                double m = Arrays.stream(g).sum() / g.length;
                                return Arrays.stream(g).map(x -> (x - m) * (x - m)).sum() / (g.length - c);
                            });
                            NDArray var = Function.array(T(a.a()).var(dims, c, keep));
                            assertEquals(t, var.dtype());
                            assertClose("var", v, var, rtol, 0);
                            assertClose("std", v.map(Math::sqrt), Function.array(T(a.a()).std(dims, c, keep)), rtol, 0);
                        });
                    }
                }
            }
        });
        NDArray x = vec(DType.F64, 1, 2, 3, 4);
        assertEquals(5.0 / 3, T(x).var().item(), 1e-12, "var() is unbiased");
        assertEquals(Math.sqrt(5.0 / 3), T(x).std().item(), 1e-12, "std() is unbiased");
        assertEquals(1.25, T(x).var(null, 0, false).item(), 1e-12, "population variance");
        assertTrue(Double.isNaN(T(vec(DType.F32, 5)).var().item()), "unbiased variance of one element is NaN");
        assertEquals(0.0, T(vec(DType.F32, 5)).var(null, 0, false).item(), "population variance of one element");
    }

    static double lseRef(double[] g) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : g) {
            m = Ref.maxNaN(m, x);
        }
        if (Double.isNaN(m)) {
            return m;
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (double x : g) {
            s += Math.exp(x - m);
        }
        return m + Math.log(s);
    }

    @Test
    void logSumExpIsStable() {
        forEachFloatInput(1500, 4e-6, 1e-12, new int[][] {{}, {1}, {7}, {13, 5}, {2, 3, 5}, {257, 129}},
                new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.BROADCAST_OUTER, Layout.MIXED}, range(-50, 1000), (t, rtol, a, f) -> {
            for (int[] dims : dimSets(a.ref().shape.length)) {
                for (boolean keep : new boolean[] {false, true}) {
                    f.check("logSumExp dims " + Arrays.toString(dims) + " keep " + keep + " " + a, () -> {
                        NDArray out = Function.array(T(a.a()).logSumExp(dims, keep));
                        assertClose("logSumExp", a.ref().reduce(dims, keep, CompositeConformance::lseRef), out, rtol, 1e-6);
                    });
                }
            }
        });
        double inf = Double.POSITIVE_INFINITY;
        for (DType t : FLOATS) {
            assertClose("large " + t, Ref.values(s(), 1000 + Math.log(2)), Function.array(T(vec(t, 1000, 1000)).logSumExp(0, false)), 1e-6, 0);
            assertClose("very negative " + t, Ref.values(s(), -1000 + Math.log(2)), Function.array(T(vec(t, -1000, -1000)).logSumExp(0, false)),
                    1e-6, 0);
            assertVec("all -inf rows " + t, Function.array(T(arr(t, s(2, 2), -inf, -inf, 0, -inf)).logSumExp(1, false)), -inf, 0);
            assertVec("+inf " + t, Function.array(T(vec(t, inf, 1)).logSumExp(new int[] {0}, true)), inf);
        }
        NDArray e = NDArray.zeros(DType.F32, device(), 2, 0);
        assertVec("logSumExp over an empty dim is -inf", Function.array(T(e).logSumExp(1, false)), Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY);
        assertEquals(DType.F32, Function.array(T(NDArray.arange(3).to(device())).logSumExp(0, false)).dtype(), "integer input gives F32");
    }

    @Test
    void softmaxAndLogSoftmax() {
        forEachFloatInput(1600, 4e-6, 1e-12, new int[][] {{1}, {7}, {13, 5}, {2, 3, 5}, {257, 129}},
                new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP, Layout.BROADCAST_INNER}, range(960, 1000), (t, rtol, a, f) -> {
            for (int dim = -1; dim < a.ref().shape.length; dim++) {
                int d = dim;
                f.check("softmax dim " + d + " " + a, () -> {
                    Ref lse = a.ref().reduce(new int[] {d}, true, CompositeConformance::lseRef);
                    Ref logsm = Ref.zip(a.ref(), lse, (x, y) -> x - y);
                    NDArray sm = Function.array(T(a.a()).softmax(d));
                    assertEquals(t, sm.dtype());
                    assertClose("softmax", logsm.map(Math::exp), sm, rtol, t == DType.F32 ? 1e-7 : 1e-15);
                    assertClose("logSoftmax", logsm, Function.array(T(a.a()).logSoftmax(d)), rtol, t == DType.F32 ? 2e-5 : 1e-11);
                    int n = a.ref().shape[d < 0 ? d + a.ref().shape.length : d];
                    assertClose("softmax sums to 1", Ref.of(lse.shape, i -> 1), sm.reduce(ReduceOp.SUM, new int[] {d}, true),
                            (t == DType.F32 ? 4 * EPS32 : 4 * EPS64) * Math.sqrt(n) + 1e-7, 0);
                });
            }
        });
        double inf = Double.POSITIVE_INFINITY;
        for (DType t : FLOATS) {
            assertVec("softmax with -inf " + t, Function.array(T(vec(t, -inf, 0, -inf)).softmax(0)), 0, 1, 0);
            assertVec("logSoftmax with -inf " + t, Function.array(T(vec(t, -inf, 0)).logSoftmax(0)), -inf, 0);
            assertVec("softmax of equal large values " + t, Function.array(T(vec(t, 1e4, 1e4)).softmax(-1)), 0.5, 0.5);
            assertFalse(T(vec(t, 1000, -1000, 0)).softmax(0).isNaN().any().item() != 0, "no NaN for large inputs " + t);
        }
    }

    @Test
    void anyAllAllClose() {
        for (DType t : ALL) {
            assertFalse(truth(T(NDArray.zeros(t, device(), 70_001)).any()), "any of zeros " + t);
            assertFalse(truth(T(NDArray.zeros(t, device(), 70_001)).all()), "all of zeros " + t);
            NDArray z = NDArray.zeros(t, device(), 70_001);
            z.narrow(0, 70_000, 1).fillInPlace(1);
            assertTrue(truth(T(z).any()), "any with the last element set " + t);
            NDArray o = NDArray.ones(t, device(), 257, 129);
            assertTrue(truth(T(o).all()), "all of ones " + t);
            o.select(0, 256).select(0, 128).fillInPlace(0);
            assertFalse(truth(T(o).all()), "all with the last element cleared " + t);
            boolean[] rows = T(o).all(1, false).toBooleanArray();
            assertEquals(257, rows.length);
            assertTrue(rows[0] && !rows[256], "all per row " + t);
            assertFalse(truth(T(NDArray.zeros(t, device(), 0)).any()), "any of empty " + t);
            assertTrue(truth(T(NDArray.zeros(t, device(), 3, 0)).all()), "all of empty " + t);
        }
        assertTrue(truth(T(vec(DType.F32, Double.NaN)).any()), "NaN is true");
        assertTrue(truth(T(vec(DType.F32, Double.NaN, -0.5)).all()), "NaN and -0.5 are true");
        Tensor a = T(vec(DType.F32, 1, 2, 3));
        assertTrue(a.allClose(T(vec(DType.F64, 1, 2, 3.000001)), 1e-5, 0), "allClose within rtol");
        assertFalse(a.allClose(T(vec(DType.F64, 1, 2, 3.1)), 1e-5, 1e-5), "allClose outside tolerance");
        assertTrue(a.allClose(T(vec(DType.F32, 1.05, 2, 3)), 0, 0.1), "allClose within atol");
        assertTrue(a.allClose(T(arr(DType.F32, s(1, 3), 1, 2, 3)), 0, 0), "allClose broadcasts, as torch.allclose");
        assertThrows(IllegalArgumentException.class, () -> a.allClose(T(vec(DType.F32, 1, 2)), 1, 1), "shapes must broadcast");
        assertFalse(T(vec(DType.F32, Double.NaN)).allClose(T(vec(DType.F32, Double.NaN)), 1, 1), "NaN is never close");
        assertTrue(T(vec(DType.I32, 1, 2)).allClose(T(vec(DType.I64, 1, 2)), 0, 0), "allClose across dtypes");
    }

    @Test
    void takeAlongDim() {
        NDArray x = arr(DType.F64, s(2, 3), 10, 30, 20, 60, 40, 50);
        NDArray idx = x.reduce(ReduceOp.ARGMAX, 1, true);
        assertExact("max via takeAlongDim", Ref.values(s(2, 1), 30, 60), Function.array(T(x).takeAlongDim(T(idx), 1)));
        NDArray bidx = NDArray.fromHost(new long[] {2, 0}, DType.I64, device(), 1, 2);
        assertExact("index broadcasts along the other dims", Ref.values(s(2, 2), 20, 10, 50, 60), Function.array(T(x).takeAlongDim(T(bidx), 1)));
        NDArray col = NDArray.fromHost(new int[] {1, 0, 1}, DType.I32, device(), 1, 3);
        assertExact("along dim 0 with I32 index", Ref.values(s(1, 3), 60, 30, 50), Function.array(T(x).takeAlongDim(T(col), 0)));
        NDArray xs = arr(DType.F32, s(2, 1, 3), 1, 2, 3, 4, 5, 6);
        NDArray i3 = NDArray.fromHost(new long[] {2, 1, 0, 0}, DType.I64, device(), 1, 4, 1);
        assertExact("self broadcasts too", Ref.values(s(2, 4, 1), 3, 2, 1, 1, 6, 5, 4, 4), Function.array(T(xs).takeAlongDim(T(i3), -1)));
    }

    @Test
    void oneHot() {
        for (DType it : new DType[] {DType.I64, DType.I32}) {
            NDArray c = arr(it, s(2, 2), 0, 2, 1, 2);
            NDArray h = Function.array(T(c).oneHot(4));
            assertValues("oneHot(4) " + it, DType.I64, Ref.values(s(2, 2, 4), 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0), h);
            assertArrayEquals(new int[] {2, 2, 3}, T(c).oneHot(-1).shape(), "inferred class count " + it);
            assertThrows(IllegalArgumentException.class, () -> T(c).oneHot(2), "class 2 with 2 classes " + it);
            assertThrows(IllegalArgumentException.class, () -> T(vec(it, -1, 0)).oneHot(3), "negative class " + it);
            assertArrayEquals(new int[] {0, 5}, T(NDArray.zeros(it, device(), 0)).oneHot(5).shape());
        }
        assertThrows(IllegalArgumentException.class, () -> T(vec(DType.F32, 0, 1)).oneHot(2), "float classes");
    }

    @Test
    void compositeOpsNameThemselves() {
        // ops composed above the SPI report their own name and the tensor, not the primitive they call
        Tensor a = T(NDArray.zeros(DType.F32, device(), 2, 3));
        String d = "[2, 3] F32 " + device();
        assertIae(() -> a.softmax(2), "softmax", d);
        assertIae(() -> a.logSoftmax(-3), "logSoftmax", d);
        assertIae(() -> a.logSumExp(2, false), "logSumExp", d);
        assertIae(() -> a.var(new int[] {2}, 1, false), "var", d);
        assertIae(() -> a.std(new int[] {-3}, 1, false), "var", d);
        assertIae(() -> a.var(new int[] {1, -1}, 1, false), "var", "twice", d);
        assertIae(() -> T(NDArray.zeros(DType.I32, device(), 2)).var(), "var", "I32");
        assertIae(() -> a.oneHot(3), "oneHot", "F32");
        assertIae(() -> a.takeAlongDim(T(NDArray.zeros(DType.I64, device(), 3)), 0), "takeAlongDim", "[3] I64");
    }

    private static void assertIae(org.junit.jupiter.api.function.Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), "'" + p + "' in: " + x.getMessage());
        }
    }

    private static boolean truth(Tensor b) {
        assertEquals(DType.BOOL, b.dtype());
        return b.item() != 0;
    }

    private static Tensor T(NDArray a) {
        return Function.tensor(a);
    }
}
