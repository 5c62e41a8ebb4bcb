package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Activations;
import dev.kasane.tensor.AdamStep;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Elementwise binary and unary ops, scalar overloads, dtype promotion, where/maskedFill, NaN handling and the
 * in-place variants, on every layout and size.
 *
 * <p>Tolerances: exact ops use {@link #F32_RTOL}/{@link #F32_ATOL} (1e-6) in F32 and 1e-12 in F64, and are exact for
 * integers; transcendental ops use relative 2e-6 (absolute 1e-6) in F32 and 1e-12 (absolute 1e-13) in F64; erf uses
 * the SPI's absolute bound (1e-7 in F32, 1e-13 in F64).
 */
public abstract class ElementwiseConformance extends ConformanceBase {

    /** Reference of binary {@code op} in double; integer results wrap as in {@code t}. */
    private static double binaryRef(BinaryOp op, double x, double y, DType t) {
        switch (op) {
            case ADD: return Ref.cast(x + y, t);
            case SUB: return Ref.cast(x - y, t);
            case MUL: return Ref.cast(x * y, t);
            case DIV: return x / y;
            case POW: return t.isFloating() ? Math.pow(x, y) : Ref.cast(intPow((long) x, (long) y), t);
            case MAXIMUM: return Ref.maxNaN(x, y);
            case MINIMUM: return Ref.minNaN(x, y);
            default: return Ref.compareOrLogical(op, x, y);
        }
    }

    /** The dtype of {@code op}'s result for operands of (common) dtype {@code t}. */
    private static DType binaryResultType(BinaryOp op, DType t) {
        if (op.kind() != BinaryOp.Kind.ARITHMETIC) {
            return DType.BOOL;
        }
        return op == BinaryOp.DIV && !t.isFloating() ? DType.F32 : t;
    }

    /** The dtypes {@code op} is tried on: every dtype for comparisons and logical ops, the numeric ones otherwise. */
    private static DType[] binaryDtypes(BinaryOp op) {
        return op.kind() == BinaryOp.Kind.ARITHMETIC ? NUMERIC : ALL;
    }

    /** First operand values: small integers for comparisons (so that ties occur), valid domains elsewhere. */
    private static Gen binaryGenA(BinaryOp op) {
        switch (op) {
            case POW: return (r, t) -> t.isFloating() ? range(0.1, 5).next(r, t) : range(0, 5).next(r, t);
            case ADD: case SUB: case MUL: case DIV: return GENERAL;
            default: return range(-3, 3);
        }
    }

    /** Second operand values: exponents in [-3, 3] for POW, divisors away from zero for DIV. */
    private static Gen binaryGenB(BinaryOp op) {
        switch (op) {
            case POW: return (r, t) -> t.isFloating() ? range(-3, 3).next(r, t) : range(0, 5).next(r, t);
            case DIV: return (r, t) -> {
                double x = GENERAL.next(r, t);
                return Math.abs(x) < 0.5 ? Ref.cast(x + 1, t) : x;
            };
            default: return binaryGenA(op);
        }
    }

    static long intPow(long b, long e) {
        long r = 1;
        for (long i = 0; i < e; i++) {
            r *= b;
        }
        return r;
    }

    /**
     * Applies {@code op} to {@code a} and {@code b} (of common dtype {@code t}) and checks the result's dtype and values:
     * POW is transcendental, everything else exact.
     */
    private static void checkBinary(BinaryOp op, Input a, Input b, DType t) {
        NDArray actual = a.a().binary(op, b.a());
        assertEquals(binaryResultType(op, t), actual.dtype(), "dtype");
        Ref expected = Ref.zip(a.ref(), b.ref(), (x, y) -> binaryRef(op, x, y, t));
        String ctx = op.toString();
        if (op == BinaryOp.POW && actual.dtype() == DType.F32) {
            assertClose(ctx, expected, actual, F32_TRANS_RTOL, F32_ATOL);
        } else if (op == BinaryOp.POW && actual.dtype() == DType.F64) {
            assertClose(ctx, expected, actual, F64_TRANS_RTOL, 1e-13);
        } else {
            assertExact(ctx, expected, actual);
        }
    }

    private static final Layout[] BIG_LAYOUTS = {Layout.CONTIGUOUS, Layout.NEG_STEP, Layout.BROADCAST_INNER, Layout.MIXED};

    private static Layout[] layoutsFor(int[] shape) {
        return Ref.numel(shape) > 10_000 ? BIG_LAYOUTS : Layout.values();
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binarySameShapeEveryLayoutAndDtype(BinaryOp op) {
        Random r = rnd(100);
        Failures f = new Failures();
        for (DType t : binaryDtypes(op)) {
            for (int[] shape : SHAPES) {
                Layout[] ls = layoutsFor(shape);
                for (int i = 0; i < ls.length; i++) {
                    Input a = input(shape, t, ls[i], r, binaryGenA(op));
                    Input b = input(shape, t, ls[(i + 3) % ls.length], r, binaryGenB(op));
                    f.check(op + " " + a + " with " + b, () -> checkBinary(op, a, b, t));
                }
            }
        }
        f.done();
    }

    /** Pairs of broadcastable shapes, each tried in both orders. */
    private static final int[][][] BROADCAST_PAIRS = {
        {{13, 5}, {5}}, {{13, 1}, {1, 5}}, {{13, 5}, {13, 1}}, {{2, 1, 3}, {4, 1}}, {{}, {7}}, {{0, 3}, {3}},
        {{0, 3}, {1, 1}}, {{70_001}, {1}}, {{257, 129}, {257, 1}}, {{257, 129}, {129}}, {{2, 3, 1, 5}, {3, 4, 1}}
    };

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsInBothDirections(BinaryOp op) {
        Random r = rnd(200);
        Failures f = new Failures();
        DType[] types = {DType.F32, DType.I64, binaryDtypes(op)[binaryDtypes(op).length - 1]};
        for (DType t : types) {
            for (int[][] pair : BROADCAST_PAIRS) {
                for (int order = 0; order < 2; order++) {
                    int[] sa = pair[order];
                    int[] sb = pair[1 - order];
                    Layout la = order == 0 ? Layout.CONTIGUOUS : Layout.NEG_STEP;
                    Input a = input(sa, t, la, r, binaryGenA(op));
                    Input b = input(sb, t, Layout.OFFSET, r, binaryGenB(op));
                    f.check(op + " " + a + " with " + b, () -> checkBinary(op, a, b, t));
                }
            }
        }
        f.done();
    }

    @Test
    void dtypePromotionAcrossEveryPair() {
        Random r = rnd(300);
        Failures f = new Failures();
        Gen g = (rr, t) -> t == DType.U8 ? rr.nextInt(256) : t == DType.BOOL ? rr.nextInt(2) : range(-300, 300).next(rr, t);
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAXIMUM, BinaryOp.LT, BinaryOp.EQ, BinaryOp.GE,
            BinaryOp.XOR};
        for (DType ta : ALL) {
            for (DType tb : ALL) {
                DType common = DType.promote(ta, tb);
                Input a = input(s(4, 9), ta, Layout.PERMUTED, r, g);
                Input b = input(s(9), tb, Layout.CONTIGUOUS, r, g);
                for (BinaryOp op : ops) {
                    if (common == DType.BOOL && op.kind() == BinaryOp.Kind.ARITHMETIC) {
                        continue;
                    }
                    f.check(op + " " + ta + " with " + tb, () -> checkBinary(op, a, b, common));
                }
            }
        }
        f.done();
    }

    @Test
    void scalarOverloadsFollowTheDtypeRules() {
        NDArray i32 = vec(DType.I32, 1, -2, 3);
        NDArray r = i32.binary(BinaryOp.ADD, 2.5);
        assertValues("I32 + double", DType.F32, Ref.values(s(3), 3.5, 0.5, 5.5), r);
        assertValues("I32 + long", DType.I32, Ref.values(s(3), 3, 0, 5), i32.binary(BinaryOp.ADD, 2L));
        assertValues("I32 - long", DType.I32, Ref.values(s(3), -1, -4, 1), i32.binary(BinaryOp.SUB, 2L));
        assertValues("I32 * long", DType.I32, Ref.values(s(3), 3, -6, 9), i32.binary(BinaryOp.MUL, 3L));
        assertValues("I32 * double", DType.F32, Ref.values(s(3), 0.5, -1, 1.5), i32.binary(BinaryOp.MUL, 0.5));
        assertValues("I32 / double", DType.F32, Ref.values(s(3), 0.5, -1, 1.5), i32.binary(BinaryOp.DIV, 2.0));
        assertValues("I32 / I32 is true division", DType.F32, Ref.values(s(3), 1.0 / 3, -2.0 / 3, 1),
                i32.binary(BinaryOp.DIV, vec(DType.I32, 3, 3, 3)));
        assertValues("I32 pow double", DType.F32, Ref.values(s(3), 1, 4, 9), i32.binary(BinaryOp.POW, 2.0));
        assertValues("I32 eq double", DType.BOOL, Ref.values(s(3), 0, 1, 0), i32.binary(BinaryOp.EQ, -2.0));
        assertValues("I32 lt double", DType.BOOL, Ref.values(s(3), 1, 1, 0), i32.binary(BinaryOp.LT, 2.5));
        NDArray i64 = vec(DType.I64, 0, 1, -1).binary(BinaryOp.ADD, NDArray.scalar(1L << 52, device()));
        NDArray big = i64.binary(BinaryOp.MUL, 3L);
        assertEquals(DType.I64, big.dtype());
        assertArrayEquals(new long[] {3L << 52, (3L << 52) + 3, (3L << 52) - 3}, big.toLongArray(),
                "I64 * long must stay exact beyond 2^53");
        NDArray u8 = vec(DType.U8, 255, 0, 128);
        assertValues("U8 + long wraps", DType.U8, Ref.values(s(3), 0, 1, 129), u8.binary(BinaryOp.ADD, 1L));
        assertValues("U8 - long wraps", DType.U8, Ref.values(s(3), 254, 255, 127), u8.binary(BinaryOp.SUB, 1L));
        NDArray bool = vec(DType.BOOL, 1, 0, 1);
        assertValues("BOOL + long", DType.I64, Ref.values(s(3), 3, 2, 3), bool.binary(BinaryOp.ADD, 2L));
        assertValues("BOOL + double", DType.F32, Ref.values(s(3), 1.5, 0.5, 1.5), bool.binary(BinaryOp.ADD, 0.5));
        NDArray f64 = vec(DType.F64, 0.1, 0.2, 0.3);
        assertValues("F64 + double", DType.F64, Ref.values(s(3), 0.1 + 1e-12, 0.2 + 1e-12, 0.3 + 1e-12), f64.binary(BinaryOp.ADD, 1e-12));
        assertValues("F64 + long", DType.F64, Ref.values(s(3), 3.1, 3.2, 3.3), f64.binary(BinaryOp.ADD, 3L));
        NDArray f32 = vec(DType.F32, 1, 2, 3);
        assertValues("F32 + long", DType.F32, Ref.values(s(3), 2, 3, 4), f32.binary(BinaryOp.ADD, 1L));
        assertValues("F32 - double", DType.F32, Ref.values(s(3), 0.75, 1.75, 2.75), f32.binary(BinaryOp.SUB, 0.25));
        assertValues("F32 pow double", DType.F32, Ref.values(s(3), 1, Math.sqrt(2), Math.sqrt(3)), f32.binary(BinaryOp.POW, 0.5));
        assertValues("F32 ne double", DType.BOOL, Ref.values(s(3), 1, 0, 1), f32.binary(BinaryOp.NE, 2.0));
        assertValues("F32 le/gt/ge", DType.BOOL, Ref.values(s(3), 1, 1, 0), f32.binary(BinaryOp.LE, 2.0));
        assertValues("F32 gt", DType.BOOL, Ref.values(s(3), 0, 0, 1), f32.binary(BinaryOp.GT, 2.0));
        assertValues("F32 ge", DType.BOOL, Ref.values(s(3), 0, 1, 1), f32.binary(BinaryOp.GE, 2.0));
    }

    @Test
    void integerArithmeticIsExactAndWraps() {
        long a = (1L << 60) + 1;
        NDArray x = NDArray.fromHost(new long[] {a, -a, Long.MAX_VALUE}, DType.I64, device(), 3);
        NDArray y = NDArray.fromHost(new long[] {1, 2, 1}, DType.I64, device(), 3);
        assertArrayEquals(new long[] {a + 1, -a + 2, Long.MIN_VALUE}, x.binary(BinaryOp.ADD, y).toLongArray(), "I64 add (wrapping)");
        assertArrayEquals(new long[] {a - 1, -a - 2, Long.MAX_VALUE - 1}, x.binary(BinaryOp.SUB, y).toLongArray(), "I64 sub");
        assertArrayEquals(new long[] {a, -2 * a, Long.MAX_VALUE}, x.binary(BinaryOp.MUL, y).toLongArray(), "I64 mul");
        assertArrayEquals(new long[] {a, 2, Long.MAX_VALUE}, x.binary(BinaryOp.MAXIMUM, y).toLongArray(), "I64 maximum");
        assertArrayEquals(new boolean[] {false, false, false},
                x.binary(BinaryOp.EQ, x.binary(BinaryOp.ADD, y)).toBooleanArray(), "I64 eq must not round through double");
        NDArray i32 = NDArray.fromHost(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 46341}, DType.I32, device(), 3);
        NDArray one = NDArray.fromHost(new int[] {1, -1, 46341}, DType.I32, device(), 3);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 92682}, i32.binary(BinaryOp.ADD, one).toIntArray(),
                "I32 add wraps like Java int");
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 46341 * 46341}, i32.binary(BinaryOp.MUL, one).toIntArray(),
                "I32 mul wraps like Java int");
        NDArray u8 = vec(DType.U8, 200, 16, 3);
        NDArray u8b = vec(DType.U8, 100, 16, 5);
        assertValues("U8 add wraps", DType.U8, Ref.values(s(3), 44, 32, 8), u8.binary(BinaryOp.ADD, u8b));
        assertValues("U8 mul wraps", DType.U8, Ref.values(s(3), (200 * 100) & 0xFF, 0, 15), u8.binary(BinaryOp.MUL, u8b));
        assertValues("U8 sub wraps", DType.U8, Ref.values(s(3), 100, 0, 254), u8.binary(BinaryOp.SUB, u8b));
        assertValues("U8 compares unsigned", DType.BOOL, Ref.values(s(3), 1, 0, 0), u8.binary(BinaryOp.GT, vec(DType.U8, 127, 16, 200)));
        assertValues("U8 max unsigned", DType.U8, Ref.values(s(3), 200, 16, 200), u8.binary(BinaryOp.MAXIMUM, vec(DType.U8, 127, 16, 200)));
        assertValues("I32 pow", DType.I32, Ref.values(s(4), 1024, 1, -27, 0),
                vec(DType.I32, 2, 7, -3, 0).binary(BinaryOp.POW, vec(DType.I32, 10, 0, 3, 2)));
    }

    // ------------------------------------------------------------------------------------------ unary

    /** The unary ops on numbers: every {@link UnaryOp} but the BOOL-only ones ({@code NOT}, tested with the logical ops). */
    static Stream<UnaryOp> numericUnaryOps() {
        return Arrays.stream(UnaryOp.values()).filter(op -> op.accepts(DType.F32));
    }

    /**
     * Reference of {@code op} in double, integer results wrapping as in {@code t}. An op without an entry here (a
     * new constant) is checked against its own scalar formula, which OpEnumsTest checks at chosen points.
     */
    private static DoubleUnaryOperator unaryRef(UnaryOp op, DType t) {
        switch (op) {
            case NEG: return x -> Ref.cast(-x, t);
            case ABS: return x -> Ref.cast(Math.abs(x), t);
            case SIGN: return Math::signum;
            case SQUARE: return x -> Ref.cast(x * x, t);
            case RELU: return x -> Double.isNaN(x) ? x : Math.max(x, 0);
            case EXP: return Math::exp;
            case LOG: return Math::log;
            case LOG1P: return Math::log1p;
            case SQRT: return Math::sqrt;
            case RSQRT: return x -> 1 / Math.sqrt(x);
            case RECIPROCAL: return x -> 1 / x;
            case SIN: return Math::sin;
            case COS: return Math::cos;
            case TANH: return Math::tanh;
            case SIGMOID: return Ref::sigmoid;
            case ERF: return Ref::erf;
            case FLOOR: return Math::floor;
            case CEIL: return Math::ceil;
            case ROUND: return Math::rint;
            default: return x -> Ref.cast(op.applyAsDouble(x), t);
        }
    }

    /** Operand values inside the op's domain, with ties and halves for the rounding ops. */
    private static Gen unaryGen(UnaryOp op) {
        switch (op) {
            case EXP: return range(-20, 20);
            case LOG: case SQRT: case RSQRT: return range(1e-3, 100);
            case LOG1P: return (r, t) -> r.nextBoolean() ? range(-0.9, 10).next(r, t)
                    : range(-1, 1).next(r, t) * Math.pow(10, -2 - r.nextInt(6));
            case RECIPROCAL: return (r, t) -> {
                double x = range(-10, 10).next(r, t);
                return Math.abs(x) < 0.01 ? 0.5 : x;
            };
            case SIGMOID: return range(-30, 30);
            case ERF: return range(-5, 5);
            case FLOOR: case CEIL: case ROUND: return (r, t) -> r.nextBoolean() ? range(-10, 10).next(r, t)
                    : (r.nextInt(41) - 20) * 0.5;
            default: return (r, t) -> t == DType.U8 ? r.nextInt(256) : range(-10, 10).next(r, t);
        }
    }

    /** Checks {@code op}'s result with its tolerance. */
    private static void checkUnary(String ctx, UnaryOp op, Ref expected, NDArray actual) {
        boolean f32 = actual.dtype() == DType.F32;
        switch (op) {
            case ERF:
                assertClose(ctx, expected, actual, 0, f32 ? 1e-7 : 1e-13);
                break;
            case EXP:
                assertClose(ctx, expected, actual, f32 ? F32_TRANS_RTOL : F64_TRANS_RTOL, 0);
                break;
            case LOG: case LOG1P: case SIN: case COS: case TANH: case SIGMOID: case RSQRT:
                assertClose(ctx, expected, actual, f32 ? F32_TRANS_RTOL : F64_TRANS_RTOL, f32 ? 1e-6 : 1e-13);
                break;
            default:
                assertExact(ctx, expected, actual);
        }
    }

    @ParameterizedTest
    @MethodSource("numericUnaryOps")
    void unaryEveryLayoutAndDtype(UnaryOp op) {
        Random r = rnd(400);
        Failures f = new Failures();
        DType[] types = Arrays.stream(NUMERIC).filter(op::accepts).toArray(DType[]::new);
        for (DType t : types) {
            for (int[] shape : SHAPES) {
                for (Layout l : layoutsFor(shape)) {
                    Input a = input(shape, t, l, r, unaryGen(op));
                    f.check(op + " " + a, () -> {
                        NDArray out = a.a().unary(op);
                        assertEquals(t, out.dtype(), "dtype");
                        checkUnary(op.toString(), op, a.ref().map(unaryRef(op, t)), out);
                    });
                }
            }
        }
        f.done();
    }

    @ParameterizedTest
    @MethodSource("numericUnaryOps")
    void unaryOnIntegersPromotesFloatOnlyOps(UnaryOp op) {
        Random r = rnd(450);
        Gen g = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.RECIPROCAL ? range(1, 50)
                : range(-5, 5);
        for (DType t : new DType[] {DType.I32, DType.I64}) {
            Input a = input(s(3, 7), t, Layout.PERMUTED, r, g);
            NDArray out = a.a().unary(op);
            DType want = op.accepts(t) ? t : DType.F32;
            assertEquals(want, out.dtype(), op + " on " + t);
            checkUnary(op + " on " + t, op, a.ref().map(unaryRef(op, want)), out);
        }
    }

    @Test
    void unarySpecialValues() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        for (DType t : FLOATS) {
            String ts = " " + t;
            assertVec("exp" + ts, vec(t, -inf, inf, 0, nan).unary(UnaryOp.EXP), 0, inf, 1, nan);
            assertVec("log" + ts, vec(t, 0, -1, inf, 1, nan).unary(UnaryOp.LOG), -inf, nan, inf, 0, nan);
            assertVec("log1p" + ts, vec(t, -1, -2, 0, inf).unary(UnaryOp.LOG1P), -inf, nan, 0, inf);
            assertClose("log1p tiny" + ts, Ref.values(s(2), Math.log1p(1e-7), Math.log1p(-3e-8)),
                    vec(t, 1e-7, -3e-8).unary(UnaryOp.LOG1P), 1e-6, 0);
            assertVec("sqrt" + ts, vec(t, -1, 0, inf, 4).unary(UnaryOp.SQRT), nan, 0, inf, 2);
            assertVec("rsqrt" + ts, vec(t, 0, inf, 4).unary(UnaryOp.RSQRT), inf, 0, 0.5);
            assertVec("reciprocal" + ts, vec(t, 0, inf, -4).unary(UnaryOp.RECIPROCAL), inf, 0, -0.25);
            assertVec("sigmoid" + ts, vec(t, 100, -100, 1000, -1000, inf, -inf, 0).unary(UnaryOp.SIGMOID),
                    1, Ref.sigmoid(-100), 1, 0, 1, 0, 0.5);
            assertVec("tanh" + ts, vec(t, 100, -100, 1000, inf, -inf, 0).unary(UnaryOp.TANH), 1, -1, 1, 1, -1, 0);
            assertVec("erf" + ts, vec(t, inf, -inf, 0, 10).unary(UnaryOp.ERF), 1, -1, 0, 1);
            assertVec("relu" + ts, vec(t, nan, -inf, inf, -0.5).unary(UnaryOp.RELU), nan, 0, inf, 0);
            assertVec("sign" + ts, vec(t, nan, -inf, 0, 3, -2).unary(UnaryOp.SIGN), nan, -1, 0, 1, -1);
            assertVec("abs" + ts, vec(t, -inf, nan, -3).unary(UnaryOp.ABS), inf, nan, 3);
            assertVec("round half even" + ts, vec(t, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5000001, 8388609, -8388609).unary(UnaryOp.ROUND),
                    0, 2, 2, -0, -2, -2, 4, 8388609, -8388609);
            assertVec("floor" + ts, vec(t, -0.5, 0.5, -1, nan, inf).unary(UnaryOp.FLOOR), -1, 0, -1, nan, inf);
            assertVec("ceil" + ts, vec(t, -0.5, 0.5, 1, nan, -inf).unary(UnaryOp.CEIL), -0.0, 1, 1, nan, -inf);
            assertVec("sin/cos of nan" + ts, vec(t, nan, inf).unary(UnaryOp.SIN), nan, nan);
            double[] sig = vec(t, -100, -50, 50, 100).unary(UnaryOp.SIGMOID).toDoubleArray();
            for (double v : sig) {
                assertTrue(v >= 0 && v <= 1, "sigmoid must stay in [0, 1] for large inputs" + ts + ": " + Arrays.toString(sig));
            }
        }
    }

    @Test
    void maximumMinimumAndClampPropagateNaN() {
        double nan = Double.NaN;
        for (DType t : FLOATS) {
            NDArray a = vec(t, nan, 1, nan, -2, 5);
            NDArray b = vec(t, 0, nan, nan, 3, 4);
            assertVec("maximum " + t, a.binary(BinaryOp.MAXIMUM, b), nan, nan, nan, 3, 5);
            assertVec("minimum " + t, a.binary(BinaryOp.MINIMUM, b), nan, nan, nan, -2, 4);
            assertVec("maximum reversed " + t, b.binary(BinaryOp.MAXIMUM, a), nan, nan, nan, 3, 5);
            assertVec("clamp " + t, vec(t, nan, -5, 0.5, 7).clamp(0, 1), nan, 0, 0.5, 1);
            assertVec("clamp one side " + t, vec(t, nan, -5, 7).clamp(Double.NEGATIVE_INFINITY, 1), nan, -5, 1);
            assertVec("clamp lower only " + t, vec(t, nan, -5, 7).clamp(0, Double.POSITIVE_INFINITY), nan, 0, 7);
            NDArray x = vec(t, nan, -5, 0.5, 7);
            x.clampInPlace(0, 1);
            assertVec("clampInPlace " + t, x, nan, 0, 0.5, 1);
        }
        Random r = rnd(500);
        for (Layout l : Layout.values()) {
            Input a = input(s(13, 5), DType.F32, l, r, GENERAL);
            assertExact("clamp " + a, a.ref().map(v -> Math.min(Math.max(v, -2), 3)), a.a().clamp(-2, 3));
        }
        NDArray ints = vec(DType.I32, -5, 0, 5, 9);
        NDArray c = ints.clamp(-1, 4);
        assertExact("clamp of I32", Ref.values(s(4), -1, 0, 4, 4), c);
    }

    @Test
    void whereAndMaskedFill() {
        Random r = rnd(600);
        Failures f = new Failures();
        for (Layout l : Layout.values()) {
            for (DType t : ALL) {
                Input cond = input(s(13, 5), DType.BOOL, l, r, GENERAL);
                Input a = input(s(13, 5), t, Layout.NEG_STEP, r, GENERAL);
                Input b = input(s(5), t, Layout.STEP2, r, GENERAL);
                f.check("where " + t + " " + cond, () -> {
                    NDArray out = NDArray.where(cond.a(), a.a(), b.a());
                    assertEquals(t, out.dtype());
                    Ref ab = Ref.zip(a.ref(), b.ref(), (x, y) -> 0);
                    Ref exp = Ref.of(ab.shape, i -> cond.ref().v[i] != 0 ? a.ref().v[i] : b.ref().expand(ab.shape).v[i]);
                    assertExact("where", exp, out);
                });
                f.check("maskedFill " + t + " " + cond, () -> {
                    NDArray out = a.a().maskedFill(cond.a(), 7);
                    assertEquals(t, out.dtype());
                    assertExact("maskedFill", Ref.of(s(13, 5), i -> cond.ref().v[i] != 0 ? Ref.cast(7, t) : a.ref().v[i]), out);
                });
            }
        }
        f.done();
        NDArray x = vec(DType.F32, 1, 2, 3);
        NDArray w = NDArray.where(vec(DType.BOOL, 1, 0, 1), vec(DType.I32, 10, 20, 30), x);
        assertValues("where promotes I32 and F32", DType.F32, Ref.values(s(3), 10, 2, 30), w);
        NDArray wb = NDArray.where(arr(DType.BOOL, s(2, 1), 1, 0), x, vec(DType.F32, -1, -2, -3));
        assertValues("where broadcasts the condition", DType.F32, Ref.values(s(2, 3), 1, 2, 3, -1, -2, -3), wb);
        NDArray mf = arr(DType.F64, s(2, 3), 1, 2, 3, 4, 5, 6).maskedFill(vec(DType.BOOL, 0, 1, 0), Double.NEGATIVE_INFINITY);
        assertValues("maskedFill broadcasts the mask", DType.F64,
                Ref.values(s(2, 3), 1, Double.NEGATIVE_INFINITY, 3, 4, Double.NEGATIVE_INFINITY, 6), mf);
    }

    @Test
    void leakyReluAndTheActivationGradients() {
        Random r = rnd(650);
        Failures f = new Failures();
        double[] slopes = {0.25, 0, 1.5, -0.5, 0.2};
        for (int[] shape : SHAPES) {
            for (Layout l : layoutsFor(shape)) {
                for (DType t : FLOATS) {
                    Input x = input(shape, t, l, r, GENERAL);
                    Input g = input(shape, t, Layout.CONTIGUOUS, r, GENERAL);
                    for (double slope : slopes) {
                        // slope 0.2 is inexact in binary: the kernel multiplies in the array's precision
                        double rtol = t == DType.F32 ? F32_RTOL : F64_RTOL;
                        f.check("leakyRelu(" + slope + ") of " + x, () -> assertClose("leakyRelu",
                                x.ref().map(v -> v > 0 ? v : v * slope), Activations.leakyRelu(x.a(), slope), rtol, 0));
                        f.check("leakyReluBackward(" + slope + ") of " + x, () -> assertClose("leakyReluBackward",
                                Ref.zip(g.ref(), x.ref(), (gv, xv) -> xv > 0 ? gv : gv * slope), Activations.leakyReluBackward(g.a(), x.a(), slope),
                                rtol, 0));
                    }
                    f.check("reluBackward of " + x, () -> assertExact("reluBackward",
                            Ref.zip(g.ref(), x.ref(), (gv, yv) -> yv <= 0 ? 0 : gv), Activations.reluBackward(g.a(), x.a())));
                    f.check("clampBackward of " + x, () -> assertExact("clampBackward",
                            Ref.zip(g.ref(), x.ref(), (gv, xv) -> xv >= -0.5 && xv <= 0.75 ? gv : 0),
                            Activations.clampBackward(g.a(), x.a(), -0.5, 0.75)));
                }
            }
        }
        f.done();
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        for (DType t : FLOATS) {
            NDArray x = vec(t, nan, -inf, inf, -0.0, 0.0, -2, 3);
            assertVec("leakyRelu special values " + t, Activations.leakyRelu(x, 0.5), nan, -inf, inf, -0.0, 0, -1, 3);
            assertVec("leakyRelu slope 0 keeps +inf " + t, Activations.leakyRelu(x, 0), nan, nan, inf, -0.0, 0, -0.0, 3);
            assertVec("leakyRelu slope 2 " + t, Activations.leakyRelu(x, 2), nan, -inf, inf, -0.0, 0, -4, 3);
            NDArray g = vec(t, 1, 2, 3, 4, 5, 6, 7);
            assertVec("reluBackward passes NaN results " + t, Activations.reluBackward(g, x), 1, 0, 3, 0, 0, 0, 7);
            assertVec("leakyReluBackward scales NaN inputs " + t, Activations.leakyReluBackward(g, x, 0.5), 0.5, 1, 3, 2, 2.5, 3, 7);
            assertVec("clampBackward: NaN and out-of-range inputs get 0, bounds included " + t,
                    Activations.clampBackward(g, x, -2, 3), 0, 0, 0, 4, 5, 6, 7);
            assertVec("clampBackward compares in the array's dtype " + t,
                    Activations.clampBackward(vec(t, 1, 1), vec(t, 0.1, 0.0999), 0.1, Double.POSITIVE_INFINITY), 1, 0);
            NDArray big = NDArray.full(-1, t, device(), 70_001);
            assertVec("reluBackward of an infinite gradient where the result is 0 " + t,
                    Activations.reluBackward(NDArray.full(inf, t, device(), 3), vec(t, 0, -1, 1)), 0, 0, inf);
            assertEquals(0.0, Activations.reluBackward(NDArray.full(5, t, device(), 70_001), big).reduce(ReduceOp.SUM).item(), 0.0, "reluBackward over 70 001 " + t);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.reluBackward(vec(DType.F32, 1, 2), vec(DType.F32, 1, 2, 3)));
        assertTrue(e.getMessage().contains("reluBackward") && e.getMessage().contains("[2] F32")
                && e.getMessage().contains("[3] F32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.leakyReluBackward(vec(DType.F32, 1, 2), vec(DType.F64, 1, 2), 0.1));
        assertTrue(e.getMessage().contains("leakyReluBackward") && e.getMessage().contains("F64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.leakyRelu(vec(DType.I32, 1, 2), 0.1));
        assertTrue(e.getMessage().contains("leakyRelu") && e.getMessage().contains("I32"), e.getMessage());
    }

    @Test
    void nanInfFinitePredicates() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        for (DType t : FLOATS) {
            NDArray x = vec(t, nan, inf, -inf, 0, -1.5, Double.MAX_VALUE);
            assertValues("isNaN " + t, DType.BOOL, Ref.values(s(6), 1, 0, 0, 0, 0, 0), x.isNaN());
            assertValues("isInf " + t, DType.BOOL, Ref.values(s(6), 0, 1, 1, 0, 0, t == DType.F64 ? 0 : 1), x.isInf());
            assertValues("isFinite " + t, DType.BOOL, Ref.values(s(6), 0, 0, 0, 1, 1, t == DType.F64 ? 1 : 0), x.isFinite());
        }
        for (DType t : new DType[] {DType.I32, DType.I64, DType.U8, DType.BOOL}) {
            NDArray x = vec(t, 0, 1, 1);
            assertValues("isNaN " + t, DType.BOOL, Ref.values(s(3), 0, 0, 0), x.isNaN());
            assertValues("isInf " + t, DType.BOOL, Ref.values(s(3), 0, 0, 0), x.isInf());
            assertValues("isFinite " + t, DType.BOOL, Ref.values(s(3), 1, 1, 1), x.isFinite());
        }
    }

    @Test
    void logicalOpsTreatNonZeroAsTrue() {
        NDArray a = vec(DType.F32, 0, 0.5f, -2, Double.NaN);
        NDArray b = vec(DType.I32, 0, 0, 3, 1);
        assertValues("and", DType.BOOL, Ref.values(s(4), 0, 0, 1, 1), a.binary(BinaryOp.AND, b));
        assertValues("or", DType.BOOL, Ref.values(s(4), 0, 1, 1, 1), a.binary(BinaryOp.OR, b));
        assertValues("xor", DType.BOOL, Ref.values(s(4), 0, 1, 0, 0), a.binary(BinaryOp.XOR, b));
        assertValues("not", DType.BOOL, Ref.values(s(4), 1, 0, 0, 0), a.unary(UnaryOp.NOT));
        assertValues("not U8 256-wrapped values", DType.BOOL, Ref.values(s(3), 1, 0, 0), vec(DType.U8, 0, 128, 255).unary(UnaryOp.NOT));
        Random r = rnd(700);
        for (int[] shape : SHAPES) {
            for (Layout l : layoutsFor(shape)) {
                Input x = input(shape, DType.BOOL, l, r, GENERAL);
                assertValues("not " + x, DType.BOOL, x.ref().map(v -> v == 0 ? 1 : 0), x.a().unary(UnaryOp.NOT));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ in-place

    /** The in-place ops of the public API. */
    enum InPlace { ADD, SUB, MUL, DIV, MAXIMUM, ADD_SCALAR, SUB_SCALAR, MUL_SCALAR, DIV_SCALAR, CLAMP, FILL, COPY_FROM }

    @Test
    void fusedUpdatesMatchTheirCompositesAndBumpTheVersion() {
        Random r = rnd(950);
        Failures f = new Failures();
        for (int[] shape : new int[][] {{7}, {13, 5}, {2, 3, 5}, {70_001}, {257, 129}}) {
            for (Layout l : layoutsFor(shape)) {
                for (DType t : FLOATS) {
                    Input a = input(shape, t, l, r, GENERAL);
                    Input b = input(shape, t, Layout.CONTIGUOUS, r, range(0.5, 4));
                    for (double v : new double[] {1, -0.125, 0.3}) {
                        f.check("addInPlace(alpha " + v + ") " + a, () -> {
                            NDArray d = upload(a.ref(), t);
                            NDArray want = d.binary(BinaryOp.ADD, a.a().binary(BinaryOp.MUL, v));
                            int before = d.version();
                            assertSame(d, d.addInPlace(a.a(), v));
                            assertExact("addInPlace alpha", new Ref(shape, want.toDoubleArray()), d);
                            assertTrue(d.version() > before, "version bumped");
                        });
                        f.check("addcmulInPlace(" + v + ") " + a, () -> {
                            NDArray d = upload(b.ref(), t);
                            NDArray want = d.binary(BinaryOp.ADD, a.a().binary(BinaryOp.MUL, b.a()).binary(BinaryOp.MUL, v));
                            d.addcmulInPlace(a.a(), b.a(), v);
                            assertExact("addcmulInPlace", new Ref(shape, want.toDoubleArray()), d);
                        });
                        f.check("addcdivInPlace(" + v + ") " + a, () -> {
                            NDArray d = upload(a.ref(), t);
                            NDArray want = d.binary(BinaryOp.ADD, a.a().binary(BinaryOp.DIV, b.a()).binary(BinaryOp.MUL, v));
                            d.addcdivInPlace(a.a(), b.a(), v);
                            assertExact("addcdivInPlace", new Ref(shape, want.toDoubleArray()), d);
                        });
                    }
                }
            }
        }
        f.done();
        // broadcasting operands, an operand that is the destination itself, and a strided destination
        NDArray d = arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        d.addcmulInPlace(vec(DType.F32, 1, 2, 3), d, 0.5);
        assertValues("addcmul with a row and itself", DType.F32, Ref.values(s(2, 3), 1.5, 4, 7.5, 6, 10, 15), d);
        NDArray e = arr(DType.F64, s(2, 3), 1, 2, 3, 4, 5, 6);
        e.transpose(0, 1).addcdivInPlace(vec(DType.F64, 2, 4), vec(DType.F64, 4, 8), 2);
        assertValues("addcdiv through a transposed view", DType.F64, Ref.values(s(2, 3), 2, 3, 4, 5, 6, 7), e);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> vec(DType.F32, 1, 2).addcmulInPlace(vec(DType.F64, 1, 2), vec(DType.F32, 1, 2), 1));
        assertTrue(x.getMessage().contains("addcmulInPlace") && x.getMessage().contains("F64"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> vec(DType.I32, 1, 2).addInPlace(vec(DType.I32, 1, 2), 2));
        assertTrue(x.getMessage().contains("addInPlace") && x.getMessage().contains("I32"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class,
                () -> vec(DType.F32, 1, 2).addcdivInPlace(vec(DType.F32, 1, 2, 3), vec(DType.F32, 1, 2), 1));
        assertTrue(x.getMessage().contains("addcdivInPlace") && x.getMessage().contains("[3] F32"), x.getMessage());
    }

    @Test
    void adamUpdateEqualsItsInPlaceStepsBitForBit() {
        Random r = rnd(960);
        Failures f = new Failures();
        for (int[] shape : new int[][] {{7}, {13, 5}, {70_001}, {257, 129}}) {
            for (Layout l : layoutsFor(shape)) {
                if (!l.writable()) {
                    continue;
                }
                for (DType t : FLOATS) {
                    Ref p = randomRef(shape, t, r, GENERAL);
                    Ref g = randomRef(shape, t, r, GENERAL);
                    Ref m = randomRef(shape, t, r, GENERAL);
                    Ref v = randomRef(shape, t, r, range(0, 4));
                    Ref vmax = randomRef(shape, t, r, range(0, 4));
                    for (boolean ams : new boolean[] {false, true}) {
                        double beta1 = ams ? 0.5 : 0.9;
                        double beta2 = 0.999;
                        double step = 1e-3 / (1 - Math.pow(beta1, 3));
                        double bc2 = Math.sqrt(1 - Math.pow(beta2, 3));
                        f.check("adamUpdateInPlace " + t + " " + l + " " + Arrays.toString(shape) + " amsgrad " + ams, () -> {
                            NDArray grad = embed(g, t, l);
                            NDArray pw = embed(p, t, l);
                            NDArray mw = embed(m, t, l);
                            NDArray vw = embed(v, t, l);
                            NDArray xw = ams ? embed(vmax, t, l) : null;
                            mw.binaryInPlace(BinaryOp.MUL, beta1).addInPlace(grad, 1 - beta1);
                            vw.binaryInPlace(BinaryOp.MUL, beta2).addcmulInPlace(grad, grad, 1 - beta2);
                            NDArray second = ams ? xw.binaryInPlace(BinaryOp.MAXIMUM, vw) : vw;
                            pw.addcdivInPlace(mw, second.unary(UnaryOp.SQRT).binaryInPlace(BinaryOp.DIV, bc2).binaryInPlace(BinaryOp.ADD, 1e-8), -step);

                            NDArray pf = embed(p, t, l);
                            NDArray mf = embed(m, t, l);
                            NDArray vf = embed(v, t, l);
                            NDArray xf = ams ? embed(vmax, t, l) : null;
                            int before = mf.version();
                            assertSame(pf, AdamStep.apply(pf, grad, mf, vf, xf, beta1, beta2, step, bc2, 1e-8));
                            assertTrue(mf.version() > before, "state version bumped");
                            assertArrayEquals(pw.toDoubleArray(), pf.toDoubleArray(), "param");
                            assertArrayEquals(mw.toDoubleArray(), mf.toDoubleArray(), "exp_avg");
                            assertArrayEquals(vw.toDoubleArray(), vf.toDoubleArray(), "exp_avg_sq");
                            if (ams) {
                                assertArrayEquals(xw.toDoubleArray(), xf.toDoubleArray(), "max_exp_avg_sq");
                            }
                        });
                    }
                }
            }
        }
        f.done();
        NDArray p = vec(DType.F32, 1, 2);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> AdamStep.apply(p, vec(DType.F32, 1, 2), vec(DType.F32, 0, 0), vec(DType.F64, 0, 0), null, 0.9,
                        0.999, 1e-3, 1, 1e-8));
        assertTrue(x.getMessage().contains("adamUpdateInPlace") && x.getMessage().contains("F64"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> AdamStep.apply(p, vec(DType.F32, 1, 2, 3),
                vec(DType.F32, 0, 0), vec(DType.F32, 0, 0), null, 0.9, 0.999, 1e-3, 1, 1e-8));
        assertTrue(x.getMessage().contains("[3] F32"), x.getMessage());
        NDArray state = vec(DType.F32, 0, 0);
        x = assertThrows(IllegalArgumentException.class,
                () -> AdamStep.apply(p, vec(DType.F32, 1, 2), state, state, null, 0.9, 0.999, 1e-3, 1, 1e-8));
        assertTrue(x.getMessage().contains("share storage"), x.getMessage());
        assertArrayEquals(new double[] {1, 2}, p.toDoubleArray(), "parameter untouched after a rejected update");
        x = assertThrows(IllegalArgumentException.class, () -> AdamStep.apply(vec(DType.I32, 1, 2), vec(DType.I32, 1, 2),
                vec(DType.I32, 0, 0), vec(DType.I32, 0, 0), null, 0.9, 0.999, 1e-3, 1, 1e-8));
        assertTrue(x.getMessage().contains("adamUpdateInPlace") && x.getMessage().contains("I32"), x.getMessage());
    }

    @ParameterizedTest
    @EnumSource(InPlace.class)
    void inPlaceWritesThroughViewsAndBumpsVersion(InPlace op) {
        Random r = rnd(800);
        Failures f = new Failures();
        DType[] types = op == InPlace.DIV || op == InPlace.DIV_SCALAR ? FLOATS : NUMERIC;
        int[][] shapes = {{}, {0}, {1}, {7}, {13, 5}, {2, 3, 5}, {70_001}, {257, 129}};
        for (DType t : types) {
            for (int[] shape : shapes) {
                for (Layout l : layoutsFor(shape)) {
                    if (!l.writable()) {
                        continue;
                    }
                    f.check(op + " " + t + " " + l + " " + Arrays.toString(shape), () -> runInPlace(op, t, shape, l, r));
                }
            }
        }
        f.done();
    }

    private void runInPlace(InPlace op, DType t, int[] shape, Layout l, Random r) {
        Gen g = t == DType.U8 ? range(0, 15) : range(-10, 10);
        Ref ref = randomRef(shape, t, r, g);
        NDArray x = embed(ref, t, l);
        // a second view of the same storage, to check that the write went through
        NDArray alias = x.permute(reverse(shape.length));
        Ref otherRef = randomRef(shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length), t, r,
                (rr, tt) -> {
                    double v = g.next(rr, tt);
                    return v == 0 ? 1 : v;
                });
        NDArray other = upload(otherRef, t);
        double sc = t.isFloating() ? 1.5 : 3;
        int v0 = x.version();
        NDArray ret;
        DoubleUnaryOperator scalarOp = null;
        java.util.function.DoubleBinaryOperator binOp = null;
        switch (op) {
            case ADD: ret = x.binaryInPlace(BinaryOp.ADD, other); binOp = (a, b) -> a + b; break;
            case SUB: ret = x.binaryInPlace(BinaryOp.SUB, other); binOp = (a, b) -> a - b; break;
            case MUL: ret = x.binaryInPlace(BinaryOp.MUL, other); binOp = (a, b) -> a * b; break;
            case DIV: ret = x.binaryInPlace(BinaryOp.DIV, other); binOp = (a, b) -> a / b; break;
            case MAXIMUM: ret = x.binaryInPlace(BinaryOp.MAXIMUM, other); binOp = Math::max; break;
            case ADD_SCALAR: ret = x.binaryInPlace(BinaryOp.ADD, sc); scalarOp = a -> a + sc; break;
            case SUB_SCALAR: ret = x.binaryInPlace(BinaryOp.SUB, sc); scalarOp = a -> a - sc; break;
            case MUL_SCALAR: ret = x.binaryInPlace(BinaryOp.MUL, sc); scalarOp = a -> a * sc; break;
            case DIV_SCALAR: ret = x.binaryInPlace(BinaryOp.DIV, sc); scalarOp = a -> a / sc; break;
            case CLAMP: {
                // bounds inside the dtype's range; out-of-range U8 bounds are pinned by clampInPlaceOnU8WithOutOfRangeBounds
                double lo = t == DType.U8 ? 2 : -2;
                double hi = t == DType.U8 ? 9 : 3;
                ret = x.clampInPlace(lo, hi);
                scalarOp = a -> Math.min(Math.max(a, lo), hi);
                break;
            }
            case FILL: ret = x.fillInPlace(4); scalarOp = a -> 4; break;
            default: ret = x.copyFrom(other); binOp = (a, b) -> b; break;
        }
        assertSame(x, ret, "in-place ops return this");
        Ref expected;
        if (scalarOp != null) {
            DoubleUnaryOperator so = scalarOp;
            expected = ref.map(a -> Ref.cast(so.applyAsDouble(a), t));
        } else {
            java.util.function.DoubleBinaryOperator bo = binOp;
            expected = Ref.zip(ref, otherRef, (a, b) -> Ref.cast(bo.applyAsDouble(a, b), t));
        }
        assertExact("result", expected, x);
        assertExact("seen through another view of the storage", expected.permute(reverse(shape.length)), alias);
        if (x.numel() > 0) {
            assertTrue(x.version() > v0, "version must be bumped, was " + v0 + " now " + x.version());
        }
        assertEquals(x.version(), alias.version(), "views share the version counter");
    }

    private static int[] reverse(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = rank - 1 - i;
        }
        return p;
    }

    @Test
    void clampInPlaceOnU8WithOutOfRangeBounds() {
        // clampInPlace(-2, 300) on U8 must act as clamp(0, 255), i.e. leave every value alone; the bounds must not wrap
        // to 254 and 44 when converted to the array's dtype.
        NDArray x = vec(DType.U8, 0, 5, 200, 255);
        x.clampInPlace(-2, 300);
        assertVec("U8 clampInPlace(-2, 300)", x, 0, 5, 200, 255);
        NDArray y = vec(DType.I32, -5, 0, 5);
        y.clampInPlace(-1.5, 2.5);
        assertVec("I32 clampInPlace(-1.5, 2.5)", y, -1, 0, 2);
    }

    @Test
    void inPlaceLeavesTheRestOfTheBaseAlone() {
        NDArray base = arr(DType.F32, s(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        NDArray view = base.slice(1, 3, Integer.MIN_VALUE, -2);   // columns 3, 1
        int v0 = base.version();
        view.binaryInPlace(BinaryOp.ADD, arr(DType.F32, s(3, 1), 100, 200, 300));
        assertTrue(base.version() > v0, "base version bumped by a write through a view");
        assertExact("base", Ref.values(s(3, 4), 0, 101, 2, 103, 4, 205, 6, 207, 8, 309, 10, 311), base);
    }

    @Test
    void inPlaceIntoBroadcastViewThrows() {
        NDArray base = vec(DType.F32, 1, 2, 3);
        NDArray b = base.expand(4, 3);
        int v0 = base.version();
        NDArray one = NDArray.ones(DType.F32, device(), 4, 3);
        assertThrows(IllegalArgumentException.class, () -> b.binaryInPlace(BinaryOp.ADD, one));
        assertThrows(IllegalArgumentException.class, () -> b.binaryInPlace(BinaryOp.MUL, 2.0));
        assertThrows(IllegalArgumentException.class, () -> b.fillInPlace(0));
        assertThrows(IllegalArgumentException.class, () -> b.copyFrom(one));
        assertThrows(IllegalArgumentException.class, () -> b.clampInPlace(0, 1));
        assertEquals(v0, base.version(), "a refused write must not bump the version");
        assertVec("a refused write leaves the base alone", base, 1, 2, 3);
    }

    @Test
    void inPlaceOfWrongDtypeOrShapeThrowsAndLeavesTargetUnchanged() {
        NDArray x = vec(DType.I32, 1, 2, 3);
        int v0 = x.version();
        assertThrows(IllegalArgumentException.class, () -> x.binaryInPlace(BinaryOp.ADD, vec(DType.F32, 1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> x.binaryInPlace(BinaryOp.DIV, vec(DType.I32, 1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> x.binaryInPlace(BinaryOp.ADD, NDArray.ones(DType.I32, device(), 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> vec(DType.BOOL, 1, 0).binaryInPlace(BinaryOp.ADD, vec(DType.BOOL, 1, 1)));
        assertEquals(v0, x.version());
        assertVec("unchanged", x, 1, 2, 3);
        NDArray f = vec(DType.F32, 1, 2, 3);
        f.binaryInPlace(BinaryOp.ADD, vec(DType.I32, 1, 2, 3));
        assertVec("F32 += I32 is allowed", f, 2, 4, 6);
    }

    @Test
    void inPlaceAliasing() {
        Random r = rnd(900);
        for (DType t : new DType[] {DType.F32, DType.I64}) {
            for (int n : new int[] {1, 7, 70_001}) {
                Ref ref = randomRef(s(n), t, r, GENERAL);
                NDArray x = upload(ref, t);
                x.binaryInPlace(BinaryOp.ADD, x.flip(0));
                assertExact("x += x.flip(0), n=" + n, Ref.of(s(n), i -> ref.v[i] + ref.v[n - 1 - i]), x);

                NDArray y = upload(ref, t);
                y.binaryInPlace(BinaryOp.ADD, y.slice(0, -1, Integer.MIN_VALUE, -1));
                assertExact("y += reversed view of y, n=" + n, Ref.of(s(n), i -> ref.v[i] + ref.v[n - 1 - i]), y);

                NDArray z = upload(ref, t);
                z.binaryInPlace(BinaryOp.MUL, z);
                assertExact("z *= z, n=" + n, ref.map(v -> v * v), z);

                NDArray w = upload(ref, t);
                if (n > 1) {
                    w.narrow(0, 1, n - 1).copyFrom(w.narrow(0, 0, n - 1));
                    assertExact("shifted self copy, n=" + n, Ref.of(s(n), i -> ref.v[Math.max(0, i - 1)]), w);
                }
                NDArray m = upload(ref, t);
                m.copyFrom(m.slice(0, -1, Integer.MIN_VALUE, -1));
                assertExact("reversed self copy, n=" + n, Ref.of(s(n), i -> ref.v[n - 1 - i]), m);
            }
        }
        NDArray sq = arr(DType.F64, s(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        sq.binaryInPlace(BinaryOp.ADD, sq.t());
        assertExact("x += x.t()", Ref.values(s(3, 3), 2, 6, 10, 6, 10, 14, 10, 14, 18), sq);
    }

    @Test
    void resultsAreFreshArrays() {
        NDArray a = vec(DType.F32, 1, 2, 3);
        NDArray b = a.binary(BinaryOp.ADD, NDArray.zeros(DType.F32, device(), 3));
        assertFalse(b.sharesStorageWith(a), "ops return new arrays");
        b.fillInPlace(9);
        assertVec("input untouched", a, 1, 2, 3);
        NDArray c = a.clamp(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertFalse(c.sharesStorageWith(a), "clamp without bounds still copies");
    }
}
