package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.Backends;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every constant of the op enums, on every dtype it accepts, has an OpenCL implementation and gives the CPU
 * backend's result (the CPU backend is the conformance suite's reference). New constants are covered without
 * editing this test. Tolerances: exact for integer and BOOL results; F32 relative 4e-6 plus absolute 1e-6; F64
 * relative 1e-12 plus absolute 1e-13; sums and products add the worst-case reordering error of a tree reduction,
 * n * eps times the sum of the array's finite magnitudes (sums) or relative n * eps (products).
 */
class OpenClOpsTest {
    private static final DType[] ALL = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8, DType.BOOL};
    /** Values that probe NaN, infinities, signed zeros, halves (rounding) and large magnitudes. */
    private static final double[] SPECIAL = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0,
        0.5, -0.5, 1.5, 2.5, -2.5, 3, -7, 1e-3, 20, -20, 100, 255, 1, -1};
    /** Elements per unary and binary test: every special value and some random ones. */
    private static final int N = SPECIAL.length + 8;

    private static boolean accepts(BinaryOp op, DType t) {
        switch (op.kind()) {
            case LOGICAL: return t == DType.BOOL;
            case COMPARISON: return true;
            default: return t != DType.BOOL && (t.isFloating() || op != BinaryOp.DIV);
        }
    }

    @Test
    void everyOpHasAnOpenClImplementationForEveryDtypeItAccepts() {
        String generated = OpSource.generate();
        for (UnaryOp op : UnaryOp.values()) {
            for (DType t : ALL) {
                if (op.accepts(t)) {
                    assertNotNull(OpSource.expression(op, t), op + " on " + t + " has no OpenCL expression");
                }
            }
            assertTrue(generated.contains("case " + OpSource.macro(op) + ": return "), op + " is missing from the source");
        }
        for (BinaryOp op : BinaryOp.values()) {
            for (DType t : ALL) {
                if (accepts(op, t)) {
                    assertNotNull(OpSource.expression(op, t), op + " on " + t + " has no OpenCL expression");
                }
            }
            assertTrue(generated.contains("case " + OpSource.macro(op) + ": return "), op + " is missing from the source");
        }
        for (ReduceOp op : ReduceOp.values()) {
            assertTrue(generated.contains("#define " + OpSource.macro(op) + " "), op + " has no macro");
        }
    }

    @Test
    void everyUnaryOpMatchesTheCpuBackend() {
        OpenClTestSupport.requireOpenCl();
        for (UnaryOp op : UnaryOp.values()) {
            for (DType t : ALL) {
                if (op.accepts(t)) {
                    NDArray x = values(t, N, 1);
                    NDArray[] out = run(t, x.shape(), (b, in, dst) -> b.unary(op, in[0], dst), x);
                    assertClose(op + " " + t, t, out[0], out[1], 0, 0);
                }
            }
        }
    }

    @Test
    void everyBinaryOpMatchesTheCpuBackend() {
        OpenClTestSupport.requireOpenCl();
        for (BinaryOp op : BinaryOp.values()) {
            for (DType t : ALL) {
                if (accepts(op, t)) {
                    NDArray a = values(t, N, 2);
                    // integer exponents must be non-negative: 0, 1, 2, 3, 0, ...
                    NDArray b = op == BinaryOp.POW && !t.isFloating()
                            ? exponents(t) : values(t, N, 3);
                    DType o = op.isComparison() ? DType.BOOL : t;
                    NDArray[] out = run(o, a.shape(), (be, in, dst) -> be.binary(op, in[0], in[1], dst), a, b);
                    assertClose(op + " " + t, o, out[0], out[1], 0, 0);
                }
            }
        }
    }

    @Test
    void everyReduceOpMatchesTheCpuBackendOnSerialAndTreeKernels() {
        OpenClTestSupport.requireOpenCl();
        for (ReduceOp op : ReduceOp.values()) {
            for (DType t : ALL) {
                if (t == DType.BOOL && op.kind() != ReduceOp.Kind.EXTREMUM) {
                    continue;
                }
                boolean wide = op.kind() == ReduceOp.Kind.INDEX || (op.kind() == ReduceOp.Kind.ACCUMULATE && !t.isFloating());
                DType o = wide ? DType.I64 : t;
                for (int len : new int[] {37, 300}) {
                    NDArray x = values(t, 5 * len, 4).reshape(5, len);
                    NDArray[] out = run(o, new int[] {5, 1}, (b, in, dst) -> b.reduce(op, in[0], dst), x);
                    double eps = t == DType.F32 ? 0x1p-24 : t == DType.F64 ? 0x1p-53 : 0;
                    double finiteMagnitude = Arrays.stream(x.toDoubleArray()).filter(Double::isFinite).map(Math::abs).sum();
                    double rel = op == ReduceOp.PROD ? len * eps : 0;
                    double abs = op == ReduceOp.SUM ? len * eps * finiteMagnitude : 0;
                    assertClose(op + " " + t + " over " + len, o, out[0], out[1], rel, abs);
                }
            }
        }
    }

    /** An SPI call on one backend: inputs on its device, the destination allocated there. */
    private interface Call {
        void run(Backend backend, NDArray[] inputs, NDArray dst);
    }

    /** {@code call} on the CPU and on OpenCL: {cpu result, opencl result}. */
    private static NDArray[] run(DType out, int[] shape, Call call, NDArray... cpuInputs) {
        NDArray[] results = new NDArray[2];
        Device[] devices = {Device.CPU, OpenClTestSupport.DEVICE};
        for (int k = 0; k < 2; k++) {
            NDArray[] in = new NDArray[cpuInputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = cpuInputs[i].to(devices[k]);
            }
            results[k] = NDArray.empty(out, devices[k], shape);
            call.run(Backends.forDevice(devices[k]), in, results[k]);
        }
        return results;
    }

    /** The special values followed by random ones, converted to {@code t}. */
    private static NDArray values(DType t, int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x = i < SPECIAL.length ? SPECIAL[(int) ((i + seed) % SPECIAL.length)] : r.nextGaussian() * 3;
            v[i] = t.isFloating() ? x : t == DType.BOOL ? r.nextInt(2) : integer(x, t);
        }
        return NDArray.fromHost(v, DType.F64, Device.CPU, n).toType(t);
    }

    /** 0, 1, 2, 3, 0, ... as {@code t}. */
    private static NDArray exponents(DType t) {
        long[] e = new long[N];
        for (int i = 0; i < N; i++) {
            e[i] = i % 4;
        }
        return NDArray.fromHost(e, DType.I64, Device.CPU, N).toType(t);
    }

    /** A small integer from {@code x}: |x| rounded, below 50, negative only for signed dtypes. */
    private static double integer(double x, DType t) {
        if (!Double.isFinite(x)) {
            return 9;
        }
        double m = Math.round(Math.abs(x)) % 50;
        return t == DType.U8 ? m : Math.copySign(m, x);
    }

    private static void assertClose(String what, DType t, NDArray cpu, NDArray opencl, double extraRelative,
            double extraAbsolute) {
        assertEquals(cpu.dtype(), opencl.dtype(), what);
        double[] e = cpu.toDoubleArray();
        double[] a = opencl.toDoubleArray();
        double rel = (t == DType.F32 ? 4e-6 : t == DType.F64 ? 1e-12 : 0) + extraRelative;
        double abs = (t == DType.F32 ? 1e-6 : t == DType.F64 ? 1e-13 : 0) + extraAbsolute;
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : e[i] == a[i] || Math.abs(e[i] - a[i]) <= abs + rel * Math.abs(e[i]);
            assertTrue(ok, what + ": element " + i + " cpu " + e[i] + " opencl " + a[i] + " (cpu " + Arrays.toString(e) + ")");
        }
    }
}
