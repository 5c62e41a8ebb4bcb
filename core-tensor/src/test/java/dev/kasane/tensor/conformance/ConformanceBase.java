package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Common base of the backend conformance suites. A backend module runs a suite by subclassing it with a class named
 * {@code *Test} that returns its device from {@link #device()}. Every array is created on {@link #device()}; the
 * expected values come from {@link Ref}, a plain double-precision reference computed in the test.
 *
 * <p>Tolerances are stated next to each check; the common ones are the constants below.
 */
public abstract class ConformanceBase {
    /** The device under test. Every array in the suite lives there. */
    protected abstract Device device();

    /** F32 rounding unit. */
    protected static final double EPS32 = 0x1.0p-23;
    /** F64 rounding unit. */
    protected static final double EPS64 = 0x1.0p-52;

    /** Exact ops (+, -, *, /, sqrt, comparisons) in F32: relative 1e-6, absolute 1e-6. */
    protected static final double F32_RTOL = 1e-6;
    /** See {@link #F32_RTOL}. */
    protected static final double F32_ATOL = 1e-6;
    /** Exact ops in F64: relative 1e-12, absolute 1e-12. */
    protected static final double F64_RTOL = 1e-12;
    /** See {@link #F64_RTOL}. */
    protected static final double F64_ATOL = 1e-12;
    /** Transcendental functions in F32 against the double reference: relative 2e-6 (absolute 1e-6 near zero). */
    protected static final double F32_TRANS_RTOL = 2e-6;
    /** Transcendental functions in F64: relative 1e-12 (absolute 1e-13 near zero). */
    protected static final double F64_TRANS_RTOL = 1e-12;

    /** Dtypes with arithmetic. */
    protected static final DType[] NUMERIC = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8};
    /** Float dtypes. */
    protected static final DType[] FLOATS = {DType.F32, DType.F64};
    /** Every dtype that ops compute in (not the storage dtypes BF16 and F16, which HalfStorageConformance covers). */
    protected static final DType[] ALL = {DType.F32, DType.F64, DType.I32, DType.I64, DType.BOOL, DType.U8};

    /**
     * Shapes every elementwise op is run on: a scalar, empty, size 1, odd sizes, and sizes large enough to pass the
     * threading threshold and vector tails.
     */
    protected static final int[][] SHAPES = {{}, {0}, {1}, {7}, {13, 5}, {3, 0, 2}, {2, 3, 5}, {70_001}, {257, 129}};
    /** {@link #SHAPES} without the large ones. */
    protected static final int[][] SMALL_SHAPES = {{}, {0}, {1}, {7}, {13, 5}, {3, 0, 2}, {2, 3, 5}};

    /** How the logical values of an input are laid out in storage. */
    public enum Layout {
        /** Dense row-major. */
        CONTIGUOUS,
        /** Stored with the dims in reverse order and viewed through permute (a transpose for 2-D). */
        PERMUTED,
        /** Dimension 0 has size 1 in storage and is expanded (stride 0). */
        BROADCAST_OUTER,
        /** The last dimension has size 1 in storage and is expanded (stride 0). */
        BROADCAST_INNER,
        /** Narrowed from the middle of a bigger array in every dim (non-zero offset). */
        OFFSET,
        /** Stored reversed in every dim and viewed through slice(..., -1). */
        NEG_STEP,
        /** Every other element of a bigger array in every dim: slice(..., 2). */
        STEP2,
        /** slice(..., -2) from the end of a bigger array. */
        NEG_STEP2,
        /** Permuted, offset and with step -2 in dimension 0 at once. */
        MIXED;

        /** True for the layouts that can be written to (no stride 0). */
        public boolean writable() {
            return this != BROADCAST_OUTER && this != BROADCAST_INNER;
        }

        /** The layout {@code k} places after this one, wrapping around: pairs each layout with a different one. */
        public Layout shifted(int k) {
            Layout[] all = values();
            return all[(ordinal() + k) % all.length];
        }
    }

    /**
     * An array on the device and its reference values.
     *
     * @param a the array under test
     * @param ref its logical values
     * @param layout how it was laid out
     */
    public record Input(NDArray a, Ref ref, Layout layout) {
        @Override
        public String toString() {
            return layout + " " + a.describe() + " strides " + Arrays.toString(a.strides()) + " offset " + a.offset();
        }
    }

    /** Draws one value of a dtype. */
    @FunctionalInterface
    public interface Gen {
        /** A value exactly representable in {@code t}. */
        double next(Random r, DType t);
    }

    /** Values in [lo, hi]: uniform floats (rounded to F32 for F32) or uniform integers (clipped to 0..255 for U8). */
    public static Gen range(double lo, double hi) {
        return (r, t) -> {
            switch (t) {
                case F32: return (float) (lo + (hi - lo) * r.nextDouble());
                case F64: return lo + (hi - lo) * r.nextDouble();
                case BOOL: return r.nextBoolean() ? 1 : 0;
                case U8: {
                    long a = Math.max(0, (long) Math.ceil(lo));
                    long b = Math.min(255, (long) Math.floor(hi));
                    return a + r.nextInt((int) (b - a + 1));
                }
                default: {
                    long a = (long) Math.ceil(lo);
                    long b = (long) Math.floor(hi);
                    return a + (long) (r.nextDouble() * (b - a + 1));
                }
            }
        };
    }

    /** The default general domain: [-10, 10] (U8 0..255, BOOL 0/1). */
    public static final Gen GENERAL = (r, t) -> t == DType.U8 ? r.nextInt(256) : range(-10, 10).next(r, t);

    /** A seeded random source; each test uses its own so that results do not depend on test order. */
    protected static Random rnd(long seed) {
        return new Random(seed);
    }

    /** Reference values of {@code shape} drawn from {@code g}. */
    protected static Ref randomRef(int[] shape, DType t, Random r, Gen g) {
        return Ref.of(shape, i -> g.next(r, t));
    }

    /** A contiguous array on the device with the reference's values converted to {@code t}. */
    protected NDArray upload(Ref ref, DType t) {
        return NDArray.fromHost(ref.toHost(t), t, device(), ref.shape);
    }

    /** A contiguous F64 array on the device from literal values. */
    protected NDArray f64(int[] shape, double... values) {
        return NDArray.fromHost(values.clone(), DType.F64, device(), shape);
    }

    /** A contiguous array of {@code t} on the device from literal values. */
    protected NDArray arr(DType t, int[] shape, double... values) {
        return NDArray.fromHost(Ref.toHost(values, t), t, device(), shape);
    }

    /** A 1-D array of {@code t} on the device from literal values. */
    protected NDArray vec(DType t, double... values) {
        return arr(t, new int[] {values.length}, values);
    }

    /** Shorthand for an int[] shape. */
    protected static int[] s(int... shape) {
        return shape;
    }

    /** A random input of {@code shape} laid out as {@code layout}. */
    protected Input input(int[] shape, DType t, Layout layout, Random r, Gen g) {
        if (layout == Layout.BROADCAST_OUTER || layout == Layout.BROADCAST_INNER) {
            if (shape.length == 0) {
                Ref ref = randomRef(shape, t, r, g);
                return new Input(upload(ref, t), ref, layout);
            }
            int d = layout == Layout.BROADCAST_OUTER ? 0 : shape.length - 1;
            int[] small = shape.clone();
            small[d] = 1;
            Ref base = randomRef(small, t, r, g);
            NDArray a = upload(base, t).expand(shape);
            return new Input(a, base.expand(shape), layout);
        }
        Ref ref = randomRef(shape, t, r, g);
        return new Input(embed(ref, t, layout), ref, layout);
    }

    /** An array holding exactly {@code ref}'s values (converted to {@code t}) in a non-broadcast {@code layout}. */
    protected NDArray embed(Ref ref, DType t, Layout layout) {
        int[] shape = ref.shape;
        int rank = shape.length;
        if (layout == Layout.CONTIGUOUS || layout == Layout.BROADCAST_OUTER || layout == Layout.BROADCAST_INNER) {
            return upload(ref, t);
        }
        double sentinel = sentinel(t);
        if (rank == 0) {
            if (layout == Layout.PERMUTED) {
                return upload(ref, t);
            }
            NDArray base = arr(t, s(3), sentinel, ref.v[0], sentinel);
            return base.select(0, 1);
        }
        int[] baseSize = new int[rank];
        int[] start = new int[rank];
        int[] step = new int[rank];
        int[] perm = new int[rank];
        for (int d = 0; d < rank; d++) {
            int n = shape[d];
            perm[d] = d;
            baseSize[d] = n;
            start[d] = 0;
            step[d] = 1;
            switch (layout) {
                case PERMUTED:
                    perm[d] = rank - 1 - d;
                    break;
                case OFFSET:
                    baseSize[d] = n + 3;
                    start[d] = 1;
                    break;
                case NEG_STEP:
                    step[d] = -1;
                    start[d] = n - 1;
                    break;
                case STEP2:
                    baseSize[d] = 2 * n + 1;
                    start[d] = 1;
                    step[d] = 2;
                    break;
                case NEG_STEP2:
                    baseSize[d] = 2 * n + 1;
                    start[d] = 2 * n - 1;
                    step[d] = -2;
                    break;
                case MIXED:
                    perm[d] = rank - 1 - d;
                    if (d == 0) {
                        baseSize[d] = 2 * n + 3;
                        start[d] = 2 * n;
                        step[d] = -2;
                    } else {
                        baseSize[d] = n + 2;
                        start[d] = 2;
                    }
                    break;
                default:
                    throw new IllegalStateException(layout.toString());
            }
        }
        // physical dim k holds logical dim perm[k]
        int[] phys = new int[rank];
        for (int k = 0; k < rank; k++) {
            phys[k] = baseSize[perm[k]];
        }
        int[] pst = Ref.strides(phys);
        double[] host = new double[Ref.numel(phys)];
        Arrays.fill(host, sentinel);
        int[] pos = new int[rank];
        for (int k = 0; k < rank; k++) {
            pos[perm[k]] = k;
        }
        int[] idx = new int[rank];
        for (int i = 0; i < ref.v.length; i++) {
            int p = 0;
            for (int d = 0; d < rank; d++) {
                p += (start[d] + step[d] * idx[d]) * pst[pos[d]];
            }
            host[p] = ref.v[i];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        NDArray base = NDArray.fromHost(Ref.toHost(host, t), t, device(), phys);
        NDArray view = base.permute(pos);
        for (int d = 0; d < rank; d++) {
            int n = shape[d];
            if (n == 0) {
                view = view.narrow(d, 0, 0);
            } else if (layout == Layout.OFFSET) {
                view = view.narrow(d, start[d], n);
            } else if (step[d] != 1 || start[d] != 0 || baseSize[d] != n) {
                long end = start[d] + (long) step[d] * (n - 1) + (step[d] > 0 ? 1 : -1);
                view = view.slice(d, start[d], end < 0 ? Integer.MIN_VALUE : (int) end, step[d]);
            }
        }
        if (!Arrays.equals(view.shape(), shape)) {
            throw new IllegalStateException("embed: built " + view.describe() + " for " + Arrays.toString(shape));
        }
        return view;
    }

    /** A value that marks storage outside the view: NaN for floats, an unlikely integer otherwise. */
    protected static double sentinel(DType t) {
        switch (t) {
            case F32:
            case F64:
                return Double.NaN;
            case I32:
            case I64:
                return -987_654;
            case U8:
                return 0xA5;
            default:
                return 1;
        }
    }

    // ------------------------------------------------------------------------------------------ assertions

    /**
     * Asserts shape equality and {@code |actual - expected| <= atol + rtol * |expected|} elementwise; NaN must match
     * NaN and infinities must be equal.
     */
    protected static void assertClose(String ctx, Ref expected, NDArray actual, double rtol, double atol) {
        assertArrayEquals(expected.shape, actual.shape(), () -> ctx + ": shape of " + actual.describe());
        double[] got = actual.toDoubleArray();
        assertEquals(expected.v.length, got.length, () -> ctx + ": element count");
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < got.length; i++) {
            double e = expected.v[i];
            double a = got[i];
            boolean ok;
            if (Double.isNaN(e)) {
                ok = Double.isNaN(a);
            } else if (Double.isInfinite(e)) {
                ok = a == e;
            } else {
                ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
            }
            if (!ok) {
                if (bad < 5) {
                    sb.append("\n  at ").append(Arrays.toString(Ref.unravel(expected.shape, i))).append(": expected ")
                            .append(e).append(" got ").append(a);
                }
                bad++;
            }
        }
        if (bad > 0) {
            fail(ctx + ": " + bad + " of " + got.length + " elements differ (rtol " + rtol + ", atol " + atol + ") in "
                    + actual.describe() + sb);
        }
    }

    /** {@link #assertClose} with the tolerance of exact ops for the dtype (0 for integers). */
    protected static void assertExact(String ctx, Ref expected, NDArray actual) {
        DType t = actual.dtype();
        if (t == DType.F32) {
            assertClose(ctx, expected, actual, F32_RTOL, F32_ATOL);
        } else if (t == DType.F64) {
            assertClose(ctx, expected, actual, F64_RTOL, F64_ATOL);
        } else {
            assertClose(ctx, expected, actual, 0, 0);
        }
    }

    /** Asserts dtype and values (tolerance of exact ops). */
    protected static void assertValues(String ctx, DType dtype, Ref expected, NDArray actual) {
        assertEquals(dtype, actual.dtype(), () -> ctx + ": dtype of " + actual.describe());
        assertExact(ctx, expected, actual);
    }

    /** Asserts a 1-D result equals literal values exactly (with the exact-op tolerance for floats). */
    protected static void assertVec(String ctx, NDArray actual, double... expected) {
        assertExact(ctx, new Ref(new int[] {expected.length}, expected.clone()), actual);
    }

    /**
     * Collects failures across the cases of one test so that a report shows every failing case, not only the first.
     */
    protected static final class Failures {
        private final List<String> messages = new ArrayList<>();
        private int cases;

        /** An empty record (public so that suites in other modules can collect failures). */
        public Failures() {
        }

        /** Runs one case; an assertion failure or exception is recorded with its context. */
        public void check(String ctx, Runnable r) {
            cases++;
            try {
                r.run();
            } catch (AssertionError | RuntimeException e) {
                String m = e.getMessage();
                messages.add((m != null && m.startsWith(ctx) ? "" : ctx + ": ") + e.getClass().getSimpleName() + ": " + m);
            }
        }

        /** Fails with every recorded failure, if any. */
        public void done() {
            if (!messages.isEmpty()) {
                StringBuilder sb = new StringBuilder(messages.size() + " of " + cases + " cases failed:");
                for (int i = 0; i < Math.min(15, messages.size()); i++) {
                    sb.append("\n- ").append(messages.get(i));
                }
                if (messages.size() > 15) {
                    sb.append("\n- ...");
                }
                fail(sb.toString());
            }
            if (cases == 0) {
                fail("no cases ran");
            }
        }
    }
}
