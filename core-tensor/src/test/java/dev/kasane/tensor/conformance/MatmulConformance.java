package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Matrix products with PyTorch's rules: 1-D and 2-D operands, batched with broadcasting batch dims, transposed and
 * strided operands, k = 0, odd and large sizes.
 *
 * <p>Tolerance: each output element may differ from the double reference by {@code (K * u + c) * sum_k |a_ik| |b_kj|},
 * the worst-case bound of any summation order (FMA or not), with u = 2^-24 and c = 1e-6 for F32, u = 2^-53 and
 * c = 1e-14 for F64.
 */
public abstract class MatmulConformance extends ConformanceBase {

    /** Reference matmul with PyTorch's shape rules; returns {value, bound} as two Refs. */
    static Ref[] refMatmul(Ref a, Ref b, DType t) {
        boolean aVec = a.rank() == 1;
        boolean bVec = b.rank() == 1;
        Ref a2 = aVec ? a.reshape(1, a.shape[0]) : a;
        Ref b2 = bVec ? b.reshape(b.shape[0], 1) : b;
        int m = a2.shape[a2.rank() - 2];
        int k = a2.shape[a2.rank() - 1];
        int n = b2.shape[b2.rank() - 1];
        int[] ba = Arrays.copyOf(a2.shape, a2.rank() - 2);
        int[] bb = Arrays.copyOf(b2.shape, b2.rank() - 2);
        int[] batch = Ref.broadcastShape(ba, bb);
        int nb = Ref.numel(batch);
        Ref ae = a2.expand(concat(batch, m, k));
        Ref be = b2.expand(concat(batch, k, n));
        double[] out = new double[nb * m * n];
        double[] bound = new double[nb * m * n];
        double u = t == DType.F32 ? 0x1.0p-24 : 0x1.0p-53;
        double base = t == DType.F32 ? 1e-6 : 1e-14;
        Ref.matmul(nb, m, n, k, (z, i, q) -> ae.v[(z * m + i) * k + q], (z, q, j) -> be.v[(z * k + q) * n + j],
                (z, i, j, sum, magnitude) -> {
                    out[(z * m + i) * n + j] = sum;
                    bound[(z * m + i) * n + j] = (k * u + base) * magnitude + (t == DType.F32 ? 1e-30 : 0);
                });
        int[] shape = concat(batch, m, n);
        if (bVec) {
            shape = Arrays.copyOf(shape, shape.length - 1);
        }
        if (aVec) {
            int[] s2 = new int[shape.length - 1];
            int drop = shape.length - (bVec ? 1 : 2);
            for (int i = 0, j = 0; i < shape.length; i++) {
                if (i != drop) {
                    s2[j++] = shape[i];
                }
            }
            shape = s2;
        }
        return new Ref[] {new Ref(shape, out), new Ref(shape, bound)};
    }

    static int[] concat(int[] head, int... tail) {
        int[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }

    static void checkMatmul(String ctx, Ref[] expected, NDArray actual) {
        assertArrayEquals(expected[0].shape, actual.shape(), () -> ctx + ": shape of " + actual.describe());
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            double e = expected[0].v[i];
            if (!(Math.abs(got[i] - e) <= expected[1].v[i])) {
                fail(ctx + ": at " + Arrays.toString(Ref.unravel(expected[0].shape, i)) + " expected " + e + " got " + got[i]
                        + " (tolerance " + expected[1].v[i] + ") in " + actual.describe());
            }
        }
    }

    private void run(Failures f, Random r, DType t, int[] sa, Layout la, int[] sb, Layout lb) {
        Input a = input(sa, t, la, r, range(-1, 1));
        Input b = input(sb, t, lb, r, range(-1, 1));
        f.check(t + " " + a + " @ " + b, () -> {
            NDArray out = a.a().matmul(b.a());
            assertEquals(t, out.dtype());
            checkMatmul("matmul", refMatmul(a.ref(), b.ref(), t), out);
        });
    }

    @Test
    void shapeRulesOneAndTwoDims() {
        Random r = rnd(2000);
        Failures f = new Failures();
        int[][][] cases = {
            {{7}, {7}}, {{1}, {1}}, {{7}, {7, 3}}, {{5, 7}, {7}}, {{5, 7}, {7, 3}}, {{1, 1}, {1, 1}}, {{13, 1}, {1, 5}},
            {{7}, {2, 7, 3}}, {{2, 5, 7}, {7}}, {{0, 4}, {4, 3}}, {{3, 4}, {4, 0}}, {{0}, {0}}, {{3, 0}, {0, 4}},
            {{2, 3, 0}, {2, 0, 5}},
        };
        for (DType t : FLOATS) {
            for (int[][] c : cases) {
                for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.PERMUTED, Layout.NEG_STEP, Layout.OFFSET, Layout.STEP2}) {
                    run(f, r, t, c[0], l, c[1], l.shifted(2));
                }
            }
        }
        f.done();
        NDArray dot = vec(DType.F64, 1, 2, 3).matmul(vec(DType.F64, 4, 5, 6));
        assertArrayEquals(new int[0], dot.shape(), "1-D @ 1-D is a 0-d dot product");
        assertEquals(32.0, dot.item(), 0.0);
        NDArray k0 = NDArray.zeros(DType.F32, device(), 3, 0).matmul(NDArray.zeros(DType.F32, device(), 0, 4));
        assertArrayEquals(new int[] {3, 4}, k0.shape());
        assertVec("k = 0 gives zeros", k0.reshape(-1), new double[12]);
    }

    @Test
    void batchedWithBroadcastBatchDims() {
        Random r = rnd(2100);
        Failures f = new Failures();
        int[][][] cases = {
            {{2, 1, 3, 4}, {5, 4, 2}}, {{3, 4}, {6, 4, 5}}, {{6, 3, 4}, {4, 5}}, {{1, 3, 4}, {6, 4, 5}},
            {{2, 3, 1, 4, 3}, {3, 5, 3, 2}}, {{0, 3, 4}, {4, 2}}, {{4, 7, 5}, {4, 5, 3}},
        };
        for (DType t : FLOATS) {
            for (int[][] c : cases) {
                for (Layout l : Layout.values()) {
                    run(f, r, t, c[0], l, c[1], l.shifted(4));
                }
            }
        }
        f.done();
    }

    @Test
    void transposedOperandsAreViews() {
        Random r = rnd(2200);
        for (DType t : FLOATS) {
            Ref ra = randomRef(s(33, 67), t, r, range(-1, 1));
            Ref rb = randomRef(s(129, 33), t, r, range(-1, 1));
            NDArray at = upload(ra, t).t();     // [67, 33] transposed view
            NDArray bt = upload(rb, t).t();     // [33, 129] transposed view
            assertFalse(at.isContiguous());
            NDArray out = at.matmul(bt);
            checkMatmul("aT @ bT " + t, refMatmul(ra.permute(1, 0), rb.permute(1, 0), t), out);
            NDArray ab = upload(ra.permute(1, 0), t).matmul(bt);
            checkMatmul("a @ bT " + t, refMatmul(ra.permute(1, 0), rb.permute(1, 0), t), ab);
            // batched transpose via transpose(-1, -2) of a 3-D array
            Ref r3 = randomRef(s(3, 5, 4), t, r, range(-1, 1));
            NDArray x3 = upload(r3, t);
            checkMatmul("x @ x^T batched " + t, refMatmul(r3, r3.permute(0, 2, 1), t), x3.matmul(x3.transpose(-1, -2)));
            checkMatmul("x^T @ x batched " + t, refMatmul(r3.permute(0, 2, 1), r3, t), x3.transpose(1, 2).matmul(x3));
        }
    }

    @Test
    void oddAndLargeSizes() {
        Random r = rnd(2300);
        Failures f = new Failures();
        int[][] mkn = {{67, 129, 33}, {256, 256, 256}, {1, 300, 1}, {300, 1, 300}, {17, 1000, 3}, {2, 2, 2}, {65, 63, 130}};
        for (DType t : FLOATS) {
            for (int[] c : mkn) {
                run(f, r, t, s(c[0], c[1]), Layout.CONTIGUOUS, s(c[1], c[2]), Layout.CONTIGUOUS);
            }
            run(f, r, t, s(67, 129), Layout.PERMUTED, s(129, 33), Layout.NEG_STEP);
            run(f, r, t, s(5, 67, 129), Layout.MIXED, s(129, 33), Layout.PERMUTED);
        }
        f.done();
    }

    @Test
    void bmm() {
        Random r = rnd(2400);
        for (DType t : FLOATS) {
            Input a = input(s(4, 3, 5), t, Layout.MIXED, r, range(-1, 1));
            Input b = input(s(4, 5, 2), t, Layout.PERMUTED, r, range(-1, 1));
            checkMatmul("bmm " + t, refMatmul(a.ref(), b.ref(), t), a.a().bmm(b.a()));
            Input c = input(s(4, 5, 2), t, Layout.BROADCAST_OUTER, r, range(-1, 1));
            checkMatmul("bmm with a stride-0 batch " + t, refMatmul(a.ref(), c.ref(), t), a.a().bmm(c.a()));
        }
        NDArray x = NDArray.ones(DType.F32, device(), 2, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> x.bmm(NDArray.ones(DType.F32, device(), 3, 4, 5)),
                "bmm batch sizes must match");
        assertThrows(IllegalArgumentException.class, () -> x.bmm(NDArray.ones(DType.F32, device(), 4, 5)),
                "bmm needs 3-D operands");
    }

    @Test
    void resultIsContiguousAndInputsUntouched() {
        NDArray a = arr(DType.F32, s(2, 2), 1, 2, 3, 4);
        NDArray b = arr(DType.F32, s(2, 2), 5, 6, 7, 8);
        NDArray c = a.matmul(b);
        assertTrue(c.isContiguous());
        assertExact("values", Ref.values(s(2, 2), 19, 22, 43, 50), c);
        assertExact("a untouched", Ref.values(s(2, 2), 1, 2, 3, 4), a);
        assertExact("b untouched", Ref.values(s(2, 2), 5, 6, 7, 8), b);
        NDArray nan = arr(DType.F32, s(1, 2), Double.NaN, 1).matmul(arr(DType.F32, s(2, 2), 0, 0, 1, 1));
        assertTrue(Double.isNaN(nan.get(0, 0)) && Double.isNaN(nan.get(0, 1)), "NaN * 0 propagates: " + nan);
    }
}
