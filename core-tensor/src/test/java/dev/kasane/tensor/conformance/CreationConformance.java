package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Backends;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Creation functions, random arrays, device moves, dtype conversion, reading values back, and toString.
 *
 * <p>Statistical checks use fixed seeds and n = 100 000 draws with bounds of at least 5 standard errors, so they are
 * deterministic and far from flaky.
 */
public abstract class CreationConformance extends ConformanceBase {

    @Test
    void zerosOnesFullEveryDtype() {
        for (DType t : ALL) {
            for (int[] shape : SHAPES) {
                NDArray z = NDArray.zeros(t, device(), shape);
                assertEquals(device(), z.device());
                assertEquals(t, z.dtype());
                assertArrayEquals(shape, z.shape());
                assertTrue(z.isContiguous());
                assertExact("zeros " + t, Ref.of(shape, i -> 0), z);
                assertExact("ones " + t, Ref.of(shape, i -> 1), NDArray.ones(t, device(), shape));
                assertExact("full " + t, Ref.of(shape, i -> Ref.cast(7, t)), NDArray.full(7, t, device(), shape));
            }
        }
        assertExact("full -2.5 F64", Ref.of(s(3, 2), i -> -2.5), NDArray.full(-2.5, DType.F64, device(), 3, 2));
        assertExact("full -2.5 I32 truncates", Ref.of(s(3), i -> -2), NDArray.full(-2.5, DType.I32, device(), 3));
        assertExact("full NaN F32", Ref.of(s(2), i -> Double.NaN), NDArray.full(Double.NaN, DType.F32, device(), 2));
        NDArray x = arr(DType.I64, s(2, 2), 1, 2, 3, 4);
        assertValues("zerosLike", DType.I64, Ref.of(s(2, 2), i -> 0), x.zerosLike());
        assertValues("onesLike", DType.I64, Ref.of(s(2, 2), i -> 1), x.onesLike());
        assertValues("fullLike", DType.I64, Ref.of(s(2, 2), i -> 9), x.fullLike(9));
        assertEquals(device(), x.fullLike(9).device());
        NDArray e = NDArray.empty(DType.F32, device(), 4, 0, 3);
        assertArrayEquals(new int[] {4, 0, 3}, e.shape());
        assertEquals(0, e.numel());
        assertEquals(0, e.toFloatArray().length);
        NDArray e2 = NDArray.empty(DType.F64, device(), 5, 2);
        assertEquals(10, e2.numel());
        assertEquals(10, e2.toDoubleArray().length);
    }

    @Test
    void arangeLinspaceEye() {
        NDArray a = NDArray.arange(5).to(device());
        assertValues("arange(5)", DType.I64, Ref.values(s(5), 0, 1, 2, 3, 4), a);
        assertValues("arange(2, 11, 3)", DType.I64, Ref.values(s(3), 2, 5, 8), NDArray.arange(2, 11, 3).to(device()));
        assertValues("arange(5, 0, -2)", DType.I64, Ref.values(s(3), 5, 3, 1), NDArray.arange(5, 0, -2).to(device()));
        assertEquals(0, NDArray.arange(0).numel(), "arange(0) is empty");
        assertEquals(0, NDArray.arange(3, 1, 1).numel(), "arange with end below start is empty");
        assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 5, 0));
        long big = 1L << 60;
        assertArrayEquals(new long[] {big, big + 1}, NDArray.arange(big, big + 2, 1).to(device()).toLongArray(),
                "long arange is exact");
        NDArray f = NDArray.arange(0.0, 1.0, 0.25).to(device());
        assertValues("arange(0, 1, 0.25)", DType.F32, Ref.values(s(4), 0, 0.25, 0.5, 0.75), f);
        assertValues("arange(1, 0, -0.3)", DType.F32, Ref.values(s(4), 1, 0.7, 0.4, 0.1), NDArray.arange(1.0, 0.0, -0.3).to(device()));
        assertEquals(10, NDArray.arange(0.0, 1.0, 0.1).numel(), "ceil((end - start) / step) elements");
        assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0.0, 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0.0, Double.POSITIVE_INFINITY, 1.0));

        assertValues("linspace(0, 1, 5)", DType.F32, Ref.values(s(5), 0, 0.25, 0.5, 0.75, 1),
                NDArray.linspace(0, 1, 5).to(device()));
        assertValues("linspace(-1, 1, 2)", DType.F32, Ref.values(s(2), -1, 1), NDArray.linspace(-1, 1, 2).to(device()));
        assertEquals(0, NDArray.linspace(0, 1, 0).numel());
        float[] l = NDArray.linspace(0, 7, 1001).toFloatArray();
        assertEquals(0f, l[0]);
        assertEquals(7f, l[1000], "linspace hits the end exactly");
        assertThrows(IllegalArgumentException.class, () -> NDArray.linspace(0, 1, -1));

        assertValues("eye(3)", DType.F32, Ref.values(s(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1), NDArray.eye(3).to(device()));
        assertValues("eye(2, 4) I64", DType.I64, Ref.values(s(2, 4), 1, 0, 0, 0, 0, 1, 0, 0),
                NDArray.eye(2, 4, DType.I64, device()));
        assertValues("eye(3, 2) BOOL", DType.BOOL, Ref.values(s(3, 2), 1, 0, 0, 1, 0, 0), NDArray.eye(3, 2, DType.BOOL, device()));
        assertArrayEquals(new int[] {0, 3}, NDArray.eye(0, 3, DType.F64, device()).shape());
        assertThrows(IllegalArgumentException.class, () -> NDArray.eye(-1, 3, DType.F32, device()));
    }

    @Test
    void linspaceWithOneStepIsStart() {
        // torch.linspace(2, 10, 1) and numpy.linspace(2, 10, 1) both give [2]
        assertVec("linspace(2, 10, 1)", NDArray.linspace(2, 10, 1), 2);
    }

    @Test
    void ofScalarAndFromHost() {
        assertValues("of float[]", DType.F32, Ref.values(s(2, 2), 1, 2, 3, 4),
                NDArray.of(new float[] {1, 2, 3, 4}, 2, 2).to(device()));
        assertValues("of double[]", DType.F64, Ref.values(s(3), 1.5, 2.5, 3.5), NDArray.of(new double[] {1.5, 2.5, 3.5}).to(device()));
        assertValues("of int[]", DType.I32, Ref.values(s(3), -1, 0, 1), NDArray.of(new int[] {-1, 0, 1}).to(device()));
        assertValues("of long[]", DType.I64, Ref.values(s(1, 2), 5, 6), NDArray.of(new long[] {5, 6}, 1, 2).to(device()));
        assertValues("of boolean[]", DType.BOOL, Ref.values(s(3), 1, 0, 1), NDArray.of(new boolean[] {true, false, true}).to(device()));
        assertValues("ofUnsignedBytes", DType.U8, Ref.values(s(3), 255, 128, 1),
                NDArray.ofUnsignedBytes(new byte[] {-1, -128, 1}).to(device()));
        float[] src = {1, 2};
        NDArray copied = NDArray.of(src);
        src[0] = 99;
        assertEquals(1.0, copied.get(0), "of copies its argument");

        for (DType t : ALL) {
            NDArray sc = NDArray.scalar(3, t, device());
            assertEquals(0, sc.dim());
            assertEquals(1, sc.numel());
            assertEquals(Ref.cast(3, t), sc.item(), "scalar " + t);
            assertEquals(device(), sc.device());
        }
        NDArray exact = NDArray.scalar(Long.MAX_VALUE, device());
        assertEquals(DType.I64, exact.dtype());
        assertEquals(Long.MAX_VALUE, exact.itemLong(), "scalar(long) is exact");
        assertEquals(DType.F32, NDArray.scalar(1.5).dtype());

        for (DType t : ALL) {
            Ref ref = randomRef(s(13, 5), t, rnd(1), GENERAL);
            NDArray a = NDArray.fromHost(ref.toHost(t), t, device(), 13, 5);
            assertValues("fromHost " + t, t, ref, a);
            assertArrayEquals(new int[] {5, 1}, a.strides());
            assertEquals(0, a.offset());
        }
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromHost(new float[6], DType.F32, device(), 4, 2));
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromHost(new float[6], DType.F64, device(), 6));
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromHost(new int[6], DType.I64, device(), 6));
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromHost(new float[0], DType.F32, device(), -1, 0));
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(DType.F32, device(), 2, -3));
        NDArray none = NDArray.fromHost(new double[0], DType.F64, device(), 0, 4);
        assertArrayEquals(new int[] {0, 4}, none.shape());
    }

    // ------------------------------------------------------------------------------------------ random

    @Test
    void sameSeedSameNumbers() {
        for (DType t : FLOATS) {
            assertArrayEquals(NDArray.uniform(new Generator(42), -2, 3, t, device(), 100).toDoubleArray(),
                    NDArray.uniform(new Generator(42), -2, 3, t, device(), 100).toDoubleArray(), "uniform " + t);
            assertArrayEquals(NDArray.normal(new Generator(42), 1, 2, t, device(), 101).toDoubleArray(),
                    NDArray.normal(new Generator(42), 1, 2, t, device(), 101).toDoubleArray(), "normal " + t);
            assertFalse(Arrays.equals(NDArray.uniform(new Generator(42), 0, 1, t, device(), 100).toDoubleArray(),
                    NDArray.uniform(new Generator(43), 0, 1, t, device(), 100).toDoubleArray()), "different seeds " + t);
        }
        assertArrayEquals(NDArray.randint(new Generator(7), -5, 5, device(), 3, 33).toLongArray(),
                NDArray.randint(new Generator(7), -5, 5, device(), 3, 33).toLongArray(), "randint");
        assertArrayEquals(NDArray.randperm(new Generator(7), 50, device()).toLongArray(),
                NDArray.randperm(new Generator(7), 50, device()).toLongArray(), "randperm");
        NDArray p = NDArray.full(0.5, DType.F32, device(), 200);
        assertArrayEquals(p.bernoulli(new Generator(9)).toDoubleArray(), p.bernoulli(new Generator(9)).toDoubleArray(),
                "bernoulli");
        // one generator continues its stream: two draws of 50 equal one draw of 100
        Generator g = new Generator(5);
        double[] first = NDArray.uniform(g, 0, 1, DType.F64, device(), 50).toDoubleArray();
        double[] second = NDArray.uniform(g, 0, 1, DType.F64, device(), 50).toDoubleArray();
        double[] all = NDArray.uniform(new Generator(5), 0, 1, DType.F64, device(), 100).toDoubleArray();
        assertArrayEquals(all, concat(first, second), "a generator's stream continues across calls");
        // the numbers come from the host generator, so they are the same on every backend
        double[] host = new double[20];
        new Generator(11).fillUniform(host, 0, 1);
        assertArrayEquals(host, NDArray.uniform(new Generator(11), 0, 1, DType.F64, device(), 20).toDoubleArray(),
                "uniform F64 equals Generator.fillUniform");
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void uniformAndNormalMoments() {
        int n = 100_000;
        for (DType t : FLOATS) {
            NDArray u = NDArray.uniform(new Generator(1), 0, 1, t, device(), n);
            assertEquals(device(), u.device());
            assertEquals(t, u.dtype());
            double[] v = u.toDoubleArray();
            double min = Arrays.stream(v).min().orElseThrow();
            double max = Arrays.stream(v).max().orElseThrow();
            assertTrue(min >= 0 && max < 1, "rand in [0, 1): min " + min + " max " + max);
            double mean = Arrays.stream(v).average().orElseThrow();
            double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / n;
            // standard error of the mean: sqrt(1/12/n) = 0.00091; of the variance about 0.0002
            assertEquals(0.5, mean, 0.005, "uniform mean " + t);
            assertEquals(1.0 / 12, var, 0.0015, "uniform variance " + t);
            double[] w = NDArray.uniform(new Generator(2), -3, 5, t, device(), n).toDoubleArray();
            assertTrue(Arrays.stream(w).allMatch(x -> x >= -3 && x < 5), "uniform(-3, 5) range " + t);
            assertEquals(1.0, Arrays.stream(w).average().orElseThrow(), 0.04, "uniform(-3, 5) mean " + t);

            double[] g = NDArray.normal(new Generator(3), 2, 3, t, device(), n).toDoubleArray();
            double gm = Arrays.stream(g).average().orElseThrow();
            double gs = Math.sqrt(Arrays.stream(g).map(x -> (x - gm) * (x - gm)).sum() / n);
            // standard errors: mean 3/sqrt(n) = 0.0095; std about 3/sqrt(2n) = 0.0067
            assertEquals(2, gm, 0.05, "normal mean " + t);
            assertEquals(3, gs, 0.035, "normal std " + t);
            long within1 = Arrays.stream(g).filter(x -> Math.abs(x - 2) < 3).count();
            assertEquals(0.6827, within1 / (double) n, 0.008, "normal: share within one std " + t);
            NDArray z = NDArray.normal(new Generator(3), 0, 0, t, device(), 5);
            assertExact("normal with std 0", Ref.of(s(5), i -> 0), z);
        }
        float[] rf = NDArray.uniform(new Generator(4), 0, 1, DType.F32, device(), n).toFloatArray();
        for (float x : rf) {
            assertTrue(x >= 0f && x < 1f, "F32 rand must stay below 1 after rounding: " + x);
        }
    }

    @Test
    void randintRandpermBernoulli() {
        int n = 100_000;
        long[] ri = NDArray.randint(new Generator(8), -3, 4, device(), n).toLongArray();
        long[] counts = new long[7];
        for (long x : ri) {
            assertTrue(x >= -3 && x < 4, "randint in [-3, 4): " + x);
            counts[(int) (x + 3)]++;
        }
        for (long c : counts) {
            // expected 14286 each, standard deviation about 111
            assertEquals(n / 7.0, c, 700, "randint bucket counts " + Arrays.toString(counts));
        }
        NDArray rix = NDArray.randint(new Generator(8), 0, 10, device(), 2, 3);
        assertEquals(DType.I64, rix.dtype());
        assertArrayEquals(new int[] {2, 3}, rix.shape());
        assertThrows(IllegalArgumentException.class, () -> NDArray.randint(new Generator(8), 5, 5, device(), 2));

        for (int size : new int[] {0, 1, 2, 7, 1000}) {
            NDArray p = NDArray.randperm(new Generator(size), size, device());
            assertEquals(DType.I64, p.dtype());
            long[] v = p.toLongArray();
            long[] sorted = v.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < size; i++) {
                assertEquals(i, sorted[i], "randperm(" + size + ") is a permutation");
            }
        }
        long[] perm = NDArray.randperm(new Generator(1), 1000, device()).toLongArray();
        int fixed = 0;
        for (int i = 0; i < perm.length; i++) {
            fixed += perm[i] == i ? 1 : 0;
        }
        assertTrue(fixed < 10, "randperm(1000) is shuffled (fixed points: " + fixed + ")");
        assertThrows(IllegalArgumentException.class, () -> NDArray.randperm(new Generator(1), -1, device()));

        for (DType t : FLOATS) {
            NDArray p = NDArray.full(0.3, t, device(), n);
            NDArray b = p.bernoulli(new Generator(12));
            assertEquals(t, b.dtype());
            double[] v = b.toDoubleArray();
            assertTrue(Arrays.stream(v).allMatch(x -> x == 0 || x == 1), "bernoulli gives 0 or 1");
            // standard error sqrt(0.21 / n) = 0.0014
            assertEquals(0.3, Arrays.stream(v).average().orElseThrow(), 0.008, "bernoulli(0.3) mean " + t);
            NDArray edge = vec(t, 0, 1, 0, 1).expand(1000, 4).bernoulli(new Generator(1));
            assertExact("bernoulli of 0 and 1 " + t, Ref.of(s(1000, 4), i -> i % 2), edge);
            assertThrows(IllegalArgumentException.class, () -> vec(t, 0.5, 1.5).bernoulli(new Generator(1)));
            assertThrows(IllegalArgumentException.class, () -> vec(t, -0.1).bernoulli(new Generator(1)));
        }
        assertThrows(IllegalArgumentException.class, () -> vec(DType.I32, 0, 1).bernoulli(new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> NDArray.uniform(new Generator(1), 0, 1, DType.I32, device(), 3));
        assertThrows(IllegalArgumentException.class, () -> NDArray.uniform(new Generator(1), 2, 1, DType.F32, device(), 3));
        assertThrows(IllegalArgumentException.class, () -> NDArray.normal(new Generator(1), 0, -1, DType.F64, device(), 3));
    }

    // ------------------------------------------------------------------------------------------ device and dtype

    @Test
    void toDeviceRoundTrip() {
        NDArray x = arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        assertSame(x, x.to(device()), "to(own device) returns the same array");
        assumeTrue(Backends.isAvailable(Device.CPU_TYPE), "the CPU backend is on the classpath");
        Random r = rnd(50);
        for (DType t : ALL) {
            for (Layout l : Layout.values()) {
                Input a = input(s(13, 5), t, l, r, GENERAL);
                NDArray host = a.a().to(Device.CPU);
                assertEquals(Device.CPU, host.device());
                assertValues("to(cpu) " + a, t, a.ref(), host);
                NDArray back = host.to(device());
                assertEquals(device(), back.device());
                assertValues("round trip " + a, t, a.ref(), back);
            }
        }
    }

    @Test
    void toTypeConversionRules() {
        double nan = Double.NaN;
        for (DType f : FLOATS) {
            NDArray x = vec(f, -2.7, -0.5, 0.5, 2.7, 0, -0.0, 100.9);
            assertValues("float->I32 truncates toward zero", DType.I32, Ref.values(s(7), -2, 0, 0, 2, 0, 0, 100), x.toType(DType.I32));
            assertValues("float->I64 truncates toward zero", DType.I64, Ref.values(s(7), -2, 0, 0, 2, 0, 0, 100), x.toType(DType.I64));
            assertValues("float->BOOL is != 0", DType.BOOL, Ref.values(s(7), 1, 1, 1, 1, 0, 0, 1), x.toType(DType.BOOL));
            assertValues("NaN->BOOL is true", DType.BOOL, Ref.values(s(1), 1), vec(f, nan).toType(DType.BOOL));
            assertValues("float->U8 in range truncates", DType.U8, Ref.values(s(3), 200, 0, 255),
                    vec(f, 200.9, 0.2, 255.5).toType(DType.U8));
        }
        NDArray d = vec(DType.F64, 0.1, 1e300, -1e-300);
        assertValues("F64->F32 rounds", DType.F32, Ref.values(s(3), (float) 0.1, Double.POSITIVE_INFINITY, -0.0), d.toType(DType.F32));
        for (DType t : ALL) {
            NDArray b = vec(DType.BOOL, 1, 0, 1);
            assertValues("BOOL->" + t + " is 0/1", t, Ref.values(s(3), 1, 0, 1), b.toType(t));
        }
        NDArray i = vec(DType.I32, 300, -1, 255, 256, 0);
        NDArray u = i.toType(DType.U8);
        assertValues("I32->U8 keeps the low 8 bits", DType.U8, Ref.values(s(5), 44, 255, 255, 0, 0), u);
        assertArrayEquals(new long[] {44, 255, 255, 0, 0}, u.toLongArray(), "U8 reads back as 0..255");
        assertArrayEquals(new double[] {44, 255, 255, 0, 0}, u.toDoubleArray(), 0.0);
        assertValues("U8->I32 is unsigned", DType.I32, Ref.values(s(5), 44, 255, 255, 0, 0), u.toType(DType.I32));
        assertValues("U8->F32 is unsigned", DType.F32, Ref.values(s(5), 44, 255, 255, 0, 0), u.toType(DType.F32));
        assertValues("U8->BOOL", DType.BOOL, Ref.values(s(5), 1, 1, 1, 0, 0), u.toType(DType.BOOL));
        assertValues("I64->U8 keeps the low 8 bits", DType.U8, Ref.values(s(2), 1, 255),
                NDArray.fromHost(new long[] {(1L << 40) + 1, -1}, DType.I64, device(), 2).toType(DType.U8));
        NDArray big = NDArray.fromHost(new long[] {(1L << 53) + 1}, DType.I64, device(), 1);
        assertEquals((1L << 53) + 1, big.toType(DType.I64).itemLong());
        assertEquals((1L << 53) + 1, big.toType(DType.F64).toType(DType.I64).itemLong() + 1, "I64->F64 rounds to nearest");
        NDArray same = vec(DType.F32, 1);
        assertSame(same, same.toType(DType.F32), "toType to the own dtype returns this");
        Random r = rnd(60);
        for (DType from : ALL) {
            for (DType to : ALL) {
                for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.MIXED, Layout.BROADCAST_INNER}) {
                    // float -> U8 is only specified inside 0..255 (truncation, then the low 8 bits of an integer)
                    Gen g = from.isFloating() && to == DType.U8 ? range(0, 255.9)
                            : (rr, tt) -> tt == DType.U8 ? rr.nextInt(256) : range(-100, 100).next(rr, tt);
                    Input a = input(s(257, 129), from, l, r, g);
                    NDArray c = a.a().toType(to);
                    assertEquals(to, c.dtype());
                    assertExact(from + "->" + to + " " + a, a.ref().castTo(to), c);
                }
            }
        }
    }

    @Test
    void readingValues() {
        NDArray x = arr(DType.F64, s(2, 3), 1.5, 2, 3, 4, 5, -6.25);
        assertEquals(-6.25, x.get(1, 2));
        assertEquals(-6.25, x.get(-1, -1), "negative indices count from the end");
        assertEquals(2.0, x.t().get(1, 0), "get on a transposed view");
        assertEquals(4, x.getLong(1, 0));
        assertEquals(1, x.getLong(0, 0), "getLong truncates");
        assertThrows(IllegalArgumentException.class, () -> x.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> x.get(0));
        assertThrows(IllegalArgumentException.class, x::item);
        assertEquals(5.0, x.select(0, 1).select(0, 1).item());
        NDArray l = NDArray.fromHost(new long[] {Long.MIN_VALUE, (1L << 62) + 1}, DType.I64, device(), 2);
        assertEquals((1L << 62) + 1, l.getLong(1), "getLong is exact for I64");
        assertEquals(Long.MIN_VALUE, l.narrow(0, 0, 1).itemLong());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4, 5, -6.25f}, x.toFloatArray());
        assertArrayEquals(new double[] {1.5, 4, 2, 5, 3, -6.25}, x.t().toDoubleArray(), "row-major order of the view");
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, -6}, x.toIntArray());
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, -6}, x.toLongArray());
        assertArrayEquals(new boolean[] {true, false}, vec(DType.I32, 7, 0).toBooleanArray());
        Object host = arr(DType.I32, s(2), 3, 4).toHostArray();
        assertTrue(host instanceof int[]);
        assertArrayEquals(new int[] {3, 4}, (int[]) host);
        assertTrue(vec(DType.BOOL, 1).toHostArray() instanceof byte[]);
        assertTrue(vec(DType.U8, 200).toHostArray() instanceof byte[]);
        assertEquals(200.0, vec(DType.U8, 200).item(), "item reads U8 as 0..255");
        assertEquals(200, vec(DType.U8, 200).itemLong(), "itemLong reads U8 as 0..255");
        assertEquals(1.0, vec(DType.BOOL, 1).item());
        NDArray zero = NDArray.zeros(DType.F32, device(), 0);
        assertEquals(0, zero.toDoubleArray().length);
        assertEquals(0, zero.toLongArray().length);
        assertEquals(0, ((float[]) zero.toHostArray()).length);
    }

    @Test
    void toStringFormat() {
        String dev = device().toString();
        assertEquals("tensor([[1., 2., 3.],\n        [4., 5., 6.]], shape=[2, 3], dtype=F32, device=" + dev + ")",
                arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6).toString());
        assertEquals("tensor([ 1, -2, 30], shape=[3], dtype=I64, device=" + dev + ")", vec(DType.I64, 1, -2, 30).toString());
        assertEquals("tensor([ True, False], shape=[2], dtype=BOOL, device=" + dev + ")", vec(DType.BOOL, 1, 0).toString());
        assertEquals("tensor(2.5000, shape=[], dtype=F64, device=" + dev + ")", NDArray.scalar(2.5, DType.F64, device()).toString());
        assertEquals("tensor([], shape=[0], dtype=F32, device=" + dev + ")", NDArray.zeros(DType.F32, device(), 0).toString());
        String nan = vec(DType.F32, Double.NaN, Double.NEGATIVE_INFINITY, 1.5).toString();
        assertTrue(nan.contains("nan") && nan.contains("-inf") && nan.contains("1.5000"), nan);
        String t = arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6).t().toString();
        assertTrue(t.startsWith("tensor([[1., 4.],"), "a transposed view prints its logical order: " + t);
        String small = NDArray.zeros(DType.F32, device(), 1000).toString();
        assertFalse(small.contains("..."), "1000 elements print in full");
        String big = NDArray.arange(1001).to(device()).toString();
        assertTrue(big.contains("..."), "more than 1000 elements are abbreviated");
        assertTrue(big.startsWith("tensor([   0,    1,    2, ...,  998,  999, 1000]"), big);
        assertTrue(big.endsWith("shape=[1001], dtype=I64, device=" + dev + ")"), big);
        String big2 = NDArray.zeros(DType.F32, device(), 70_001).toString();
        assertTrue(big2.length() < 200, "abbreviated output stays short: " + big2.length());
    }

    @Test
    void copyAndContiguousOnDevice() {
        NDArray x = arr(DType.F32, s(2, 3), 1, 2, 3, 4, 5, 6);
        NDArray c = x.copy();
        assertNotSame(x, c);
        assertFalse(c.sharesStorageWith(x));
        assertEquals(device(), c.device());
        c.fillInPlace(0);
        assertExact("copy is independent", Ref.values(s(2, 3), 1, 2, 3, 4, 5, 6), x);
    }
}
