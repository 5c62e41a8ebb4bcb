package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The same computations on the CPU backend and on OpenCL, compared; covers paths the conformance suite may not. */
@RequiresOpenCl
class OpenClVsCpuTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    private static NDArray random(long seed, DType t, int... shape) {
        return OpenClTestSupport.randomQuarters(seed, t, shape);
    }

    private static void same(String what, NDArray cpuInput, UnaryOperator<NDArray> f, double tol) {
        NDArray expected = f.apply(cpuInput);
        NDArray actual = f.apply(cpuInput.to(D));
        assertEquals(D, actual.device(), what);
        assertEquals(expected.dtype(), actual.dtype(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i])); // == for infinities
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    @Test
    void highRankPermutedFlippedViews() {
        NDArray x = random(1, DType.F32, 2, 3, 1, 2, 3, 2, 2, 3, 2, 2);
        UnaryOperator<NDArray> view = a -> a.permute(9, 0, 8, 1, 7, 2, 6, 3, 5, 4).flip(0, 3, 7).slice(1, 0, 2, 1);
        same("rank-10 unary", x, a -> view.apply(a).unary(UnaryOp.EXP), 1e-6);
        same("rank-10 binary", x, a -> view.apply(a).binary(BinaryOp.MUL, view.apply(a).unary(UnaryOp.NEG)), 1e-4);
        same("rank-10 reduce", x, a -> view.apply(a).reduce(ReduceOp.SUM, new int[] {0, 4, 8}, false), 1e-3);
        same("rank-10 amax", x, a -> view.apply(a).reduce(ReduceOp.MAX, new int[] {1, 3, 5, 7, 9}, true), 0);
        same("rank-10 argmin", x, a -> view.apply(a).reduce(ReduceOp.ARGMIN, 6, false), 0);
        same("rank-10 copy", x, a -> view.apply(a).toType(DType.I32), 0);
    }

    @Test
    void tooManyDimensionsIsAClearError() {
        int[] shape = new int[17];
        java.util.Arrays.fill(shape, 2);
        int[] perm = new int[17];
        for (int i = 0; i < 17; i++) {
            perm[i] = (i * 5) % 17;
        }
        NDArray x = NDArray.zeros(DType.F32, D, shape).permute(perm);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.unary(UnaryOp.EXP));
        assertEquals(true, e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void gemmShapesAndLayouts() {
        int[][] mkn = {{1, 1, 1}, {3, 5, 7}, {64, 64, 64}, {65, 17, 129}, {100, 200, 3}};
        for (int[] s : mkn) {
            NDArray a = random(s[0], DType.F32, s[0], s[1]);
            NDArray b = random(s[2], DType.F32, s[1], s[2]);
            String w = s[0] + "x" + s[1] + "x" + s[2];
            same("gemm " + w, a, x -> x.matmul(x.device().equals(D) ? b.to(D) : b), 1e-2);
            same("gemm A^T " + w, a.t().contiguous(), x -> x.t().matmul(x.device().equals(D) ? b.to(D) : b), 1e-2);
            same("gemm B^T " + w, b.t().contiguous(), x -> (x.device().equals(D) ? a.to(D) : a).matmul(x.t()), 1e-2);
        }
        NDArray batch = random(7, DType.F64, 4, 9, 6);
        NDArray shared = random(8, DType.F64, 6, 5);
        same("batched, broadcast B (zero batch stride)", batch,
                x -> x.matmul(x.device().equals(D) ? shared.to(D) : shared), 1e-9);
        same("batched, transposed A", batch, x -> x.transpose(1, 2).matmul(x), 1e-9);
    }

    @Test
    void longReductionsUseTheTree() {
        NDArray x = random(3, DType.F32, 3, 5000);
        same("sum", x, a -> a.reduce(ReduceOp.SUM, 1, false), 1e-1);
        same("sum of columns view", x, a -> a.t().reduce(ReduceOp.SUM, 0, false), 1e-1);
        same("max", x, a -> a.reduce(ReduceOp.MAX, 1, false), 0);
        same("argmax", x, a -> a.reduce(ReduceOp.ARGMAX, 1, false), 0);
        same("argmin", x, a -> a.reduce(ReduceOp.ARGMIN, 1, false), 0);
        same("int sum", random(4, DType.I32, 2, 7000), a -> a.reduce(ReduceOp.SUM, 1, false), 0);
        same("u8 max", random(5, DType.U8, 2, 7000), a -> a.reduce(ReduceOp.MAX, 1, false), 0);
        double[] v = new double[3000];
        v[2000] = Double.NaN;
        v[2500] = Double.NaN;
        v[10] = 5;
        NDArray n = NDArray.fromHost(v, DType.F64, Device.CPU, 1, 3000);
        same("argmax with NaN", n, a -> a.reduce(ReduceOp.ARGMAX, 1, false), 0);
        same("argmin with NaN", n, a -> a.reduce(ReduceOp.ARGMIN, 1, false), 0);
        same("max with NaN", n, a -> a.reduce(ReduceOp.MAX, 1, false), 0);
        same("full sum", random(6, DType.F64, 100_000), a -> a.reduce(ReduceOp.SUM), 1e-6);
        same("full prod", NDArray.full(1.0001, DType.F64, Device.CPU, 5000), a -> a.reduce(ReduceOp.PROD), 1e-9);
    }

    @Test
    void conversions() {
        double[] v = {-3.7, -0.5, 0, 0.5, 2.9, 255.9, 256.5, 300, -1e10, 1e10, Double.NaN};
        NDArray x = NDArray.fromHost(v, DType.F64, Device.CPU, v.length);
        for (DType from : new DType[] {DType.F32, DType.F64}) {
            for (DType to : DType.values()) {
                same(from + " -> " + to, x.toType(from), a -> a.toType(to).toType(DType.F64), 0);
            }
        }
        NDArray ints = NDArray.of(new long[] {-300, -1, 0, 1, 255, 256, 70000, 5_000_000_000L}).to(Device.CPU);
        for (DType to : DType.values()) {
            same("I64 -> " + to, ints, a -> a.toType(to).toType(DType.F64), 0);
        }
    }

    @Test
    void integerArithmeticWraps() {
        NDArray a = NDArray.of(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 7, -7}).to(Device.CPU);
        same("I32 add wraps", a, x -> x.binary(BinaryOp.ADD, x), 0);
        same("I32 neg wraps", a, x -> x.unary(UnaryOp.NEG), 0);
        same("I32 pow", NDArray.of(new int[] {2, 3, -2, 0}).to(Device.CPU), x -> x.binary(BinaryOp.POW, x.unary(UnaryOp.ABS)), 0);
        same("U8 arithmetic", random(9, DType.U8, 50), x -> x.binary(BinaryOp.MUL, x).binary(BinaryOp.SUB, x), 0);
    }

    @Test
    void badIndicesAreReportedAndScatterLeavesDstAlone() {
        NDArray src = NDArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5).to(D);
        NDArray idx = NDArray.of(new long[] {0, 4, 7, 1, 9, 2}, 2, 3).to(D);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> src.gather(1, idx));
        assertEquals("gather: index 7 out of range for dimension 1 of size 5", e.getMessage());
        NDArray idx32 = NDArray.of(new int[] {0, -1, 2}, 1, 3).to(D);
        e = assertThrows(IllegalArgumentException.class, () -> src.gather(1, idx32));
        assertEquals("gather: index -1 out of range for dimension 1 of size 5", e.getMessage());

        NDArray dst = NDArray.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 5).to(D);
        NDArray upd = NDArray.ones(DType.F32, D, 2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> dst.scatterAddInPlace(1, idx, upd));
        assertEquals("scatterAdd: index 7 out of range for dimension 1 of size 5", e.getMessage());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, dst.toFloatArray());
    }

    @Test
    void scatterAddAccumulatesRepeatedIndicesDeterministically() {
        int n = 5000;
        long[] idx = new long[n];
        float[] val = new float[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            idx[i] = r.nextInt(7);
            val[i] = (float) r.nextGaussian();
        }
        NDArray cpu = NDArray.zeros(DType.F32, Device.CPU, 7).scatterAdd(0, NDArray.fromHost(idx, DType.I64, Device.CPU, n),
                NDArray.fromHost(val, DType.F32, Device.CPU, n));
        float[] first = null;
        for (int rep = 0; rep < 3; rep++) {
            float[] got = NDArray.zeros(DType.F32, D, 7).scatterAdd(0, NDArray.fromHost(idx.clone(), DType.I64, D, n),
                    NDArray.fromHost(val.clone(), DType.F32, D, n)).toFloatArray();
            assertArrayEquals(cpu.toFloatArray(), got, 1e-3f);
            if (first == null) {
                first = got;
            } else {
                assertArrayEquals(first, got, 0f, "bitwise identical on every run");
            }
        }
    }
}
