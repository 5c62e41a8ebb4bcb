package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.Ref;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** unary, binary and where on random strided, broadcast, flipped, 0-d and empty views against per-element references. */
class ElementwiseTest {
    private static final int[][] SHAPES = {{}, {0}, {1}, {7}, {3, 0, 2}, {2, 3}, {4, 1, 5}, {3, 4, 5}, {2, 3, 2, 3}, {70000}, {40, 1100}};
    private static final DType[] ALL = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8, DType.BOOL};

    private final CpuBackend be = new CpuBackend(new Parallel(2), null, null);

    static double unaryRef(UnaryOp op, double x) {
        switch (op) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case SQUARE: return x * x;
            case RELU: return x != x ? x : Math.max(x, 0);
            case NOT: return x == 0 ? 1 : 0;
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case LOG1P: return Math.log1p(x);
            case SQRT: return Math.sqrt(x);
            case RSQRT: return 1 / Math.sqrt(x);
            case RECIPROCAL: return 1 / x;
            case SIN: return Math.sin(x);
            case COS: return Math.cos(x);
            case TANH: return Math.tanh(x);
            case SIGMOID: return 1 / (1 + Math.exp(-x));
            case FLOOR: return Math.floor(x);
            case CEIL: return Math.ceil(x);
            case ROUND: return Math.rint(x);
            default: return op.applyAsDouble(x); // erf and any later op: the SPI's formula is the reference

        }
    }

    static double binaryRef(BinaryOp op, DType dt, double a, double b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return dt.isFloating() ? a / b : (double) ((long) a / (long) b);
            case POW: return dt.isFloating() ? Math.pow(a, b) : (double) BinaryKernels.powLong((long) a, (long) b);
            case MAXIMUM: return Math.max(a, b);
            case MINIMUM: return Math.min(a, b);
            default: return Ref.compareOrLogical(op, a, b);
        }
    }

    static void assertClose(DType dt, double want, double got, String what) {
        if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(got), what + ": want NaN, got " + got);
            return;
        }
        double tol = dt == DType.F32 ? 2e-7 * Math.abs(want) + 1e-7 : dt == DType.F64 ? 1e-15 * Math.abs(want) + 1e-15 : 0;
        if (!(Math.abs(want - got) <= tol) && !(want == got)) {
            throw new AssertionError(what + ": want " + want + ", got " + got);
        }
    }

    /** A view of {@code shape} where random dims of size 1 in {@code small} are expanded (stride 0). */
    private static NDArray broadcastView(Random r, DType dt, int[] shape) {
        int[] small = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (r.nextInt(3) == 0) {
                small[d] = 1;
            }
        }
        NDArray v = TestViews.randomView(r, dt, small, false);
        int[] st = v.strides();
        for (int d = 0; d < shape.length; d++) {
            if (small[d] == 1 && shape[d] != 1) {
                st[d] = 0;
            }
        }
        return v.asStrided(shape, st, v.offset());
    }

    @Test
    void unaryOpsOnEveryDtypeAndLayout() {
        Random r = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            for (DType dt : ALL) {
                if (!op.accepts(dt)) {
                    continue;
                }
                for (int[] shape : SHAPES) {
                    NDArray src = TestViews.randomView(r, dt, shape, r.nextBoolean());
                    NDArray dst = TestViews.randomDst(r, dt, shape);
                    be.unary(op, src, dst);
                    for (int[] idx : TestViews.indices(shape)) {
                        double want = Ref.cast(unaryRef(op, TestViews.get(src, idx)), dt);
                        assertClose(dt, want, TestViews.get(dst, idx), op + " " + dt + " " + java.util.Arrays.toString(idx));
                    }
                }
            }
        }
    }

    @Test
    void binaryOpsOnEveryDtypeWithBroadcastAndInPlace() {
        Random r = new Random(2);
        for (BinaryOp op : BinaryOp.values()) {
            for (DType dt : ALL) {
                boolean takes = op.isLogical() ? dt == DType.BOOL : dt != DType.BOOL || op.isComparison();
                if (!takes || (op == BinaryOp.DIV && !dt.isFloating()) || (op == BinaryOp.POW && !dt.isFloating())) {
                    continue;
                }
                DType out = op.isComparison() ? DType.BOOL : dt;
                for (int[] shape : SHAPES) {
                    NDArray a = broadcastView(r, dt, shape);
                    NDArray b = broadcastView(r, dt, shape);
                    NDArray dst = TestViews.randomDst(r, out, shape);
                    be.binary(op, a, b, dst);
                    for (int[] idx : TestViews.indices(shape)) {
                        double want = Ref.cast(binaryRef(op, dt, TestViews.get(a, idx), TestViews.get(b, idx)), out);
                        assertClose(out, want, TestViews.get(dst, idx), op + " " + dt + " " + java.util.Arrays.toString(shape));
                    }
                }
            }
        }
        // in place: dst is the very same view as a
        NDArray a = TestViews.randomView(r, DType.F32, new int[] {5, 6}, false);
        NDArray b = broadcastView(r, DType.F32, new int[] {5, 6});
        double[] before = new double[30];
        int i = 0;
        for (int[] idx : TestViews.indices(new int[] {5, 6})) {
            before[i++] = TestViews.get(a, idx) + TestViews.get(b, idx);
        }
        be.binary(BinaryOp.ADD, a, b, a);
        i = 0;
        for (int[] idx : TestViews.indices(new int[] {5, 6})) {
            assertClose(DType.F32, (float) before[i++], TestViews.get(a, idx), "in-place add");
        }
    }

    @Test
    void integerPowAndDivision() {
        NDArray base = NDArray.fromHost(new int[] {2, -3, 5, 0}, DType.I32, Device.CPU, 4);
        NDArray exp = NDArray.fromHost(new int[] {10, 3, 0, 0}, DType.I32, Device.CPU, 4);
        NDArray out = NDArray.fromHost(new int[4], DType.I32, Device.CPU, 4);
        be.binary(BinaryOp.POW, base, exp, out);
        assertEquals("[1024, -27, 1, 1]", java.util.Arrays.toString((int[]) ((CpuStorage) out.storage()).data()));
        NDArray neg = NDArray.fromHost(new long[] {2, -1}, DType.I64, Device.CPU, 2);
        NDArray two = NDArray.fromHost(new long[] {3, 3}, DType.I64, Device.CPU, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.binary(BinaryOp.POW, two, neg, NDArray.fromHost(new long[2], DType.I64, Device.CPU, 2)));
        assertTrue(e.getMessage().startsWith("pow:"), e.getMessage());
        be.binary(BinaryOp.DIV, base, NDArray.fromHost(new int[] {3, 2, -2, 7}, DType.I32, Device.CPU, 4), out);
        assertEquals("[0, -1, -2, 0]", java.util.Arrays.toString((int[]) ((CpuStorage) out.storage()).data()));
        IllegalArgumentException z = assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.DIV, base, exp, out));
        assertEquals("div: integer division by zero", z.getMessage());
    }

    @Test
    void floatSemanticsOfNanSigmoidRoundAndErf() {
        float nan = Float.NaN;
        NDArray a = NDArray.fromHost(new float[] {1, nan, 3, nan}, DType.F32, Device.CPU, 4);
        NDArray b = NDArray.fromHost(new float[] {nan, 2, 1, nan}, DType.F32, Device.CPU, 4);
        NDArray out = NDArray.fromHost(new float[4], DType.F32, Device.CPU, 4);
        float[] o = (float[]) ((CpuStorage) out.storage()).data();
        be.binary(BinaryOp.MAXIMUM, a, b, out);
        assertTrue(Float.isNaN(o[0]) && Float.isNaN(o[1]) && o[2] == 3 && Float.isNaN(o[3]));
        be.binary(BinaryOp.MINIMUM, a, b, out);
        assertTrue(Float.isNaN(o[0]) && Float.isNaN(o[1]) && o[2] == 1 && Float.isNaN(o[3]));

        NDArray x = NDArray.fromHost(new double[] {-1000, -40, 0, 40, 1000, Double.NaN}, DType.F64, Device.CPU, 6);
        NDArray y = NDArray.fromHost(new double[6], DType.F64, Device.CPU, 6);
        double[] yv = (double[]) ((CpuStorage) y.storage()).data();
        be.unary(UnaryOp.SIGMOID, x, y);
        assertEquals(0.0, yv[0]);
        assertEquals(4.248354255291589e-18, yv[1], 1e-30);
        assertEquals(0.5, yv[2]);
        assertEquals(1.0, yv[3]);
        assertEquals(1.0, yv[4]);
        assertTrue(Double.isNaN(yv[5]));

        NDArray h = NDArray.fromHost(new float[] {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f}, DType.F32, Device.CPU, 6);
        NDArray hr = NDArray.fromHost(new float[6], DType.F32, Device.CPU, 6);
        be.unary(UnaryOp.ROUND, h, hr);
        assertEquals("[0.0, 2.0, 2.0, -0.0, -2.0, 2.0]", java.util.Arrays.toString((float[]) ((CpuStorage) hr.storage()).data()));

        double[] xs = {0.1, 0.5, 1.0, -1.5, 2.0, 3.0, 5.0};
        double[] erf = {0.1124629160182849, 0.5204998778130465, 0.8427007929497149, -0.9661051464753108,
            0.9953222650189527, 0.9999779095030014, 0.9999999999984626};
        NDArray ex = NDArray.fromHost(xs, DType.F64, Device.CPU, xs.length);
        NDArray ey = NDArray.fromHost(new double[xs.length], DType.F64, Device.CPU, xs.length);
        be.unary(UnaryOp.ERF, ex, ey);
        double[] got = (double[]) ((CpuStorage) ey.storage()).data();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(erf[i], got[i], 1e-14, "erf(" + xs[i] + ")");
        }
    }

    @Test
    void whereSelectsOnEveryDtype() {
        Random r = new Random(4);
        for (DType dt : ALL) {
            for (int[] shape : SHAPES) {
                NDArray c = broadcastView(r, DType.BOOL, shape);
                NDArray a = broadcastView(r, dt, shape);
                NDArray b = broadcastView(r, dt, shape);
                NDArray d = TestViews.randomDst(r, dt, shape);
                be.where(c, a, b, d);
                for (int[] idx : TestViews.indices(shape)) {
                    double want = TestViews.get(c, idx) != 0 ? TestViews.get(a, idx) : TestViews.get(b, idx);
                    assertEquals(want, TestViews.get(d, idx), 0.0, "where " + dt);
                }
            }
        }
    }

    @Test
    void malformedCallsNameOpDtypeAndDevice() {
        NDArray i = NDArray.fromHost(new int[] {1, 2}, DType.I32, Device.CPU, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.EXP, i, i));
        assertTrue(e.getMessage().contains("EXP") && e.getMessage().contains("I32") && e.getMessage().contains("cpu"), e.getMessage());
        NDArray f = NDArray.fromHost(new float[] {1, 2}, DType.F32, Device.CPU, 2);
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> be.matmul(i.reshape(1, 1, 2), i.reshape(1, 2, 1), i.reshape(1, 1, 2)));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("I32"), m.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.AND, f, f, f));
        assertTrue(l.getMessage().contains("AND") && l.getMessage().contains("F32") && l.getMessage().contains("cpu"), l.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.checkDevice(Device.opencl(0)));
        be.checkDevice(Device.CPU);
    }
}
