package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Element counts: arrays index their elements with int, so every op that makes a shape (creation, views, broadcasting,
 * copies, matmul, convolution and pooling) refuses one of more than {@code Integer.MAX_VALUE} elements with an
 * {@link IllegalArgumentException} naming the op, the shape and the exact count, and never returns a view whose
 * {@code numel()} has wrapped around. Broadcast views below the limit need no storage and reduce exactly.
 */
public abstract class ElementCountConformance extends ConformanceBase {
    private static final long MAX = Integer.MAX_VALUE;

    /** Asserts the "too many elements" error of {@code op}: the op, the shape, the exact count and the limit. */
    private static void assertTooMany(Executable e, String op, String shape, String count) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        String m = String.valueOf(x.getMessage());
        for (String f : new String[] {op + ":", shape, count + " elements", "more than " + MAX}) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
    }

    private NDArray one() {
        return NDArray.ones(DType.F64, device(), 1, 1);
    }

    @Test
    void expandPastTheLimitIsRefused() {
        // these used to give views whose numel() wrapped: 1.41e9, 0 and a NegativeArraySizeException in the sum
        assertTooMany(() -> one().expand(100000, 100000), "expand", "[100000, 100000]", "10000000000");
        assertTooMany(() -> one().expand(65536, 65536), "expand", "[65536, 65536]", "4294967296");
        assertTooMany(() -> one().expand(46341, 46341), "expand", "[46341, 46341]", "2147488281");
        assertTooMany(() -> one().broadcastTo(65536, 65536, 65536, 65536), "expand", "[65536, 65536, 65536, 65536]",
                "18446744073709551616");
    }

    @Test
    void broadcastViewsBelowTheLimitCountAndReduceExactly() {
        NDArray big = one().expand(46340, 46340);
        assertEquals(2147395600, big.numel());
        NDArray v = one().expand(1 << 14, 1 << 14);
        // F64 sum of 2^28 ones: every partial sum is an integer below 2^53, so exact
        assertEquals(1 << 28, v.reduce(ReduceOp.SUM).item(), 0.0);
        assertEquals(1 << 14, v.reduce(ReduceOp.SUM, 0, false).get(5), 0.0);
    }

    @Test
    void asStridedPastTheLimitIsRefused() {
        NDArray a = NDArray.ones(DType.F32, device(), 4);
        assertTooMany(() -> a.asStrided(new int[] {65536, 65536}, new int[] {0, 0}, 0), "asStrided", "[65536, 65536]",
                "4294967296");
        assertTooMany(() -> a.asStrided(new int[] {65536, 65536, 65536, 65536}, new int[] {0, 0, 0, 0}, 0), "asStrided",
                "[65536, 65536, 65536, 65536]", "18446744073709551616");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.asStrided(new int[] {0}, new int[] {1}, -1));
        assertTrue(e.getMessage().contains("asStrided") && e.getMessage().contains("-1"), e.getMessage());
        assertEquals(4, a.asStrided(new int[] {2, 2}, new int[] {0, 1}, 2).reduce(ReduceOp.SUM).item(), 0.0);
    }

    @Test
    void viewOfAnEmptyArrayCannotClaimMoreElements() {
        NDArray empty = NDArray.zeros(DType.F32, device(), 0);
        // 2^64 wraps to 0 in a long, which used to pass as "0 elements"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> empty.view(65536, 65536, 65536, 65536));
        assertTrue(e.getMessage().contains("view") && e.getMessage().contains("[65536, 65536, 65536, 65536]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> empty.reshape(65536, 65536, 65536, 65536));
        NDArray ok = empty.view(65536, 65536, 0);
        assertArrayEquals(new int[] {65536, 65536, 0}, ok.shape());
        assertEquals(0, ok.numel());
        assertEquals(0, ok.reduce(ReduceOp.SUM).item(), 0.0);
    }

    @Test
    void resultsPastTheLimitAreRefusedByTheOpThatMakesThem() {
        NDArray col = NDArray.ones(DType.F32, device(), 100000, 1);
        NDArray row = NDArray.ones(DType.F32, device(), 1, 100000);
        assertTooMany(() -> col.binary(BinaryOp.ADD, row), "add", "[100000, 100000]", "10000000000");
        assertTooMany(() -> NDArray.where(NDArray.ones(DType.BOOL, device(), 100000, 1), col, row), "where",
                "[100000, 100000]", "10000000000");
        assertTooMany(() -> col.matmul(row), "matmul", "[1, 100000, 100000]", "10000000000");
        NDArray half = NDArray.ones(DType.F32, device(), 1).expand(1 << 30);
        assertTooMany(() -> NDArray.stack(List.of(half, half), 0), "stack", "[2, 1073741824]", "2147483648");
        IllegalArgumentException cat = assertThrows(IllegalArgumentException.class, () -> NDArray.cat(List.of(half, half), 0));
        assertTrue(cat.getMessage().startsWith("cat:") && cat.getMessage().contains("2147483648"), cat.getMessage());
        assertTooMany(() -> NDArray.ones(DType.F32, device(), 2).repeat(65536, 65536), "repeat", "[65536, 131072]",
                "8589934592");
        IllegalArgumentException repeat = assertThrows(IllegalArgumentException.class,
                () -> NDArray.ones(DType.F32, device(), 2).repeat(1 << 30));
        assertTrue(repeat.getMessage().startsWith("repeat:") && repeat.getMessage().contains("2147483648"), repeat.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> NDArray.ones(DType.F32, device(), 1).pad(Integer.MAX_VALUE, 1));
        assertTrue(pad.getMessage().startsWith("pad:") && pad.getMessage().contains("2147483649"), pad.getMessage());
        NDArray image = NDArray.ones(DType.F32, device(), 1, 1, 1, 1);
        Conv2dSpec wide = Conv2dSpec.of(1, 40000, 1, 1);
        assertTooMany(() -> image.conv2d(image, wide), "conv2d", "[1, 1, 80001, 80001]", "6400160001");
        NDArray plane = image.expand(1, 1, 46340, 46340);   // a view of 2147395600 elements; padding adds a row and column
        assertTooMany(() -> plane.maxPool2d(2, 2, Conv2dSpec.of(1, 1, 1, 1), false), "maxPool2d", "[1, 1, 46341, 46341]",
                "2147488281");
    }

    @Test
    void creationPastTheLimitIsRefused() {
        assertTooMany(() -> NDArray.zeros(DType.F32, device(), 65536, 65536), "zeros", "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.ones(DType.F32, device(), 65536, 65536), "ones", "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.full(2, DType.F32, device(), 65536, 65536), "full", "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.empty(DType.F32, device(), 65536, 65536), "empty", "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.uniform(new Generator(1), 0, 1, DType.F32, device(), 65536, 65536), "uniform",
                "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.normal(new Generator(1), 0, 1, DType.F32, device(), 65536, 65536), "normal",
                "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.randint(new Generator(1), 0, 3, device(), 65536, 65536), "randint",
                "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.eye(65536, 65536, DType.F32, device()), "eye", "[65536, 65536]", "4294967296");
        assertTooMany(() -> NDArray.fromHost(new float[1], DType.F32, device(), 65536, 65536), "fromHost", "[65536, 65536]",
                "4294967296");
        assertEquals(0, NDArray.zeros(DType.F32, device(), 65536, 65536, 0, 65536, 65536).numel());
    }

    /**
     * Random shapes, expansions, views, as-strided views and broadcasts with sizes drawn around the limit: each gives
     * either the right shape, count and sum, or an {@link IllegalArgumentException} naming the op; nothing else
     * (no wrapped count, no {@code NegativeArraySizeException} or {@code ArithmeticException}). Bounded to about a
     * second.
     */
    @Test
    void fuzzShapesAroundTheLimit() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        long deadline = System.nanoTime() + 1_000_000_000L;
        int cases = 0;
        int refused = 0;
        while (cases < 200 || (System.nanoTime() < deadline && cases < 5000)) {
            int kind = r.nextInt(5);
            int[] shape = randomShape(r);
            String what = "seed " + seed + ", case " + cases + ": kind " + kind + ", shape " + Arrays.toString(shape);
            try {
                refused += fuzzCase(r, kind, shape, what) ? 0 : 1;
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(what + ": " + e, e);
            }
            cases++;
        }
        assertTrue(refused > 10 && refused < cases - 10, "the fuzz should both refuse and accept shapes: " + refused
                + " of " + cases + " refused (seed " + seed + ")");
    }

    /** One fuzz case; returns true if the op succeeded (and was checked), false if it was refused as it should be. */
    private boolean fuzzCase(Random r, int kind, int[] shape, String what) {
        BigInteger count = count(shape);
        boolean fits = count.compareTo(BigInteger.valueOf(MAX)) <= 0;
        switch (kind) {
            case 0: {   // expand a [1, ..., 1] array
                int[] ones = new int[r.nextInt(shape.length + 1)];
                Arrays.fill(ones, 1);
                return outcome(what, "expand", shape, count, fits,
                        () -> NDArray.ones(DType.F64, device(), ones).expand(shape), 1);
            }
            case 1: {   // asStrided with zero strides over a 3-element storage
                int[] zero = new int[shape.length];
                int offset = r.nextInt(3);
                return outcome(what, "asStrided", shape, count, fits,
                        () -> NDArray.full(2, DType.F64, device(), 3).asStrided(shape, zero, offset), 2);
            }
            case 2: {   // view of an empty array: allowed only for shapes with a zero size
                boolean empty = count.signum() == 0;
                NDArray base = NDArray.zeros(DType.F64, device(), 0);
                if (empty) {
                    return outcome(what, "view", shape, count, true, () -> base.view(shape), 0);
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.view(shape), what);
                assertTrue(e.getMessage().startsWith("view:"), what + ": " + e.getMessage());
                return false;
            }
            case 3: {   // broadcast of two expanded operands: the result is allocated, so only small ones are run
                int cut = r.nextInt(shape.length + 1);
                int[] a = shape.clone();
                int[] b = shape.clone();
                Arrays.fill(a, 0, cut, 1);
                Arrays.fill(b, cut, b.length, 1);
                Supplier<NDArray> x = () -> NDArray.ones(DType.F64, device(), 1).expand(a);
                Supplier<NDArray> y = () -> NDArray.full(3, DType.F64, device(), 1).expand(b);
                for (int[] operand : new int[][] {a, b}) {
                    BigInteger n = count(operand);
                    if (n.compareTo(BigInteger.valueOf(MAX)) > 0) {
                        return outcome(what, "expand", operand, n, false, () -> NDArray.ones(DType.F64, device(), 1)
                                .expand(operand), 1);
                    }
                }
                if (fits && count.longValue() > 100_000) {
                    return true;
                }
                return outcome(what, "mul", shape, count, fits, () -> x.get().binary(BinaryOp.MUL, y.get()), 3);
            }
            default: {  // creation: only small ones are allocated
                if (fits && count.longValue() > 100_000) {
                    return true;
                }
                return outcome(what, "ones", shape, count, fits, () -> NDArray.ones(DType.F64, device(), shape), 1);
            }
        }
    }

    /**
     * Runs {@code make}: if the shape fits it must give that shape, the count and (for up to 10^7 elements) the sum
     * {@code value * count}; otherwise the "too many elements" error of {@code op}. Returns whether it ran.
     */
    private static boolean outcome(String what, String op, int[] shape, BigInteger count, boolean fits,
            Supplier<NDArray> make, double value) {
        if (!fits) {
            assertTooMany(make::get, op, Arrays.toString(shape), count.toString());
            return false;
        }
        NDArray a = make.get();
        assertArrayEquals(shape, a.shape(), what);
        assertEquals(count.longValue(), a.numel(), what);
        if (count.longValue() <= 10_000_000) {
            assertEquals(value * count.longValue(), a.reduce(ReduceOp.SUM).item(), 0.0, what + " (exact F64 sum of integers)");
        }
        return true;
    }

    /** 1 to 4 dims, sizes drawn from small ones and ones near the square and fourth roots of the limit. */
    private static int[] randomShape(Random r) {
        int[] pool = {0, 1, 2, 3, 7, 255, 256, 46340, 46341, 65535, 65536, 1 << 20, (1 << 30) + 1, Integer.MAX_VALUE};
        int[] s = new int[1 + r.nextInt(4)];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(3) == 0 ? 1 + r.nextInt(5) : pool[r.nextInt(pool.length)];
        }
        return s;
    }

    private static BigInteger count(int[] shape) {
        BigInteger n = BigInteger.ONE;
        for (int s : shape) {
            n = n.multiply(BigInteger.valueOf(s));
        }
        return n;
    }
}
