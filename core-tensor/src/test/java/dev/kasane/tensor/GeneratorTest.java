package dev.kasane.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Generator determinism and distribution sanity (no backend needed). Statistical bounds are at least 5 standard
 * errors wide and the seeds are fixed, so the tests are deterministic.
 */
class GeneratorTest {

    /** An independent xoshiro256** seeded through SplitMix64, as the Javadoc promises. */
    private static final class Xoshiro {
        private final long[] s = new long[4];

        Xoshiro(long seed) {
            long x = seed;
            for (int i = 0; i < 4; i++) {
                x += 0x9E3779B97F4A7C15L;
                long z = x;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                s[i] = z ^ (z >>> 31);
            }
        }

        long next() {
            long result = Long.rotateLeft(s[1] * 5, 7) * 9;
            long t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = Long.rotateLeft(s[3], 45);
            return result;
        }
    }

    @Test
    void streamIsXoshiro256StarStar() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
            Generator g = new Generator(seed);
            Xoshiro x = new Xoshiro(seed);
            for (int i = 0; i < 100; i++) {
                assertEquals(x.next(), g.nextLong(), "seed " + seed + " draw " + i);
            }
        }
        Generator g = new Generator(9);
        Xoshiro x = new Xoshiro(9);
        assertEquals((x.next() >>> 11) * 0x1.0p-53, g.nextDouble(), "nextDouble uses the top 53 bits");
    }

    @Test
    void sameSeedSameSequence() {
        Generator a = new Generator(123);
        Generator b = new Generator(123);
        for (int i = 0; i < 50; i++) {
            assertEquals(a.nextLong(), b.nextLong());
            assertEquals(a.nextDouble(), b.nextDouble());
            assertEquals(a.nextGaussian(), b.nextGaussian());
            assertEquals(a.nextLong(17), b.nextLong(17));
        }
        assertNotEquals(new Generator(1).nextLong(), new Generator(2).nextLong());
    }

    @Test
    void manualSeedResetsIncludingTheSpareNormal() {
        Generator g = new Generator(5);
        double first = g.nextGaussian();
        g.nextGaussian();
        g.nextGaussian();     // leaves a spare normal pending
        assertSame(g, g.manualSeed(5));
        assertEquals(first, g.nextGaussian(), "manualSeed must drop a pending spare normal");
        double[] a = new double[10];
        double[] b = new double[10];
        g.manualSeed(77).fillNormal(a, 1, 2);
        g.manualSeed(77).fillNormal(b, 1, 2);
        assertArrayEquals(a, b);
    }

    @Test
    void globalGenerator() {
        Generator.seedGlobal(31);
        long a = Generator.global().nextLong();
        Generator.seedGlobal(31);
        assertEquals(a, Generator.global().nextLong());
        assertEquals(new Generator(31).nextLong(), a, "seedGlobal(s) equals new Generator(s)");
        assertSame(Generator.global(), Generator.global());
    }

    @Test
    void nextLongBound() {
        Generator g = new Generator(3);
        for (long bound : new long[] {1, 2, 3, 7, 64, 1000, (1L << 62) + 1, Long.MAX_VALUE}) {
            for (int i = 0; i < 1000; i++) {
                long v = g.nextLong(bound);
                assertTrue(v >= 0 && v < bound, "nextLong(" + bound + ") = " + v);
            }
        }
        assertEquals(0, g.nextLong(1));
        assertThrows(IllegalArgumentException.class, () -> g.nextLong(0));
        assertThrows(IllegalArgumentException.class, () -> g.nextLong(-5));
        // chi-square over 10 buckets, 100 000 draws: 9 degrees of freedom, 99.99th percentile about 33.7
        int n = 100_000;
        long[] counts = new long[10];
        for (int i = 0; i < n; i++) {
            counts[(int) g.nextLong(10)]++;
        }
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - n / 10.0) * (c - n / 10.0) / (n / 10.0);
        }
        assertTrue(chi2 < 33.7, "chi-square " + chi2 + " for " + Arrays.toString(counts));
        // a large non-power-of-two bound must not be biased toward the low half (modulo bias check)
        long bound = (Long.MAX_VALUE / 3) * 2;
        int low = 0;
        for (int i = 0; i < n; i++) {
            low += g.nextLong(bound) < bound / 2 ? 1 : 0;
        }
        assertEquals(0.5, low / (double) n, 0.008, "share below the middle of [0, " + bound + ")");
    }

    @Test
    void uniformAndNormalDistributions() {
        Generator g = new Generator(17);
        int n = 200_000;
        double[] u = new double[n];
        g.fillUniform(u, -2, 6);
        double mean = 0;
        for (double v : u) {
            assertTrue(v >= -2 && v < 6, "fillUniform range: " + v);
            mean += v / n;
        }
        assertEquals(2, mean, 0.03, "uniform mean (standard error 0.005)");
        int[] hist = new int[8];
        for (double v : u) {
            hist[(int) (v + 2)]++;
        }
        for (int h : hist) {
            assertEquals(n / 8.0, h, 700, "uniform histogram " + Arrays.toString(hist));
        }
        double[] z = new double[n];
        g.fillNormal(z, 0, 1);
        double m = Arrays.stream(z).average().orElseThrow();
        double var = Arrays.stream(z).map(x -> (x - m) * (x - m)).sum() / n;
        double skew = Arrays.stream(z).map(x -> Math.pow(x - m, 3)).sum() / n;
        double kurt = Arrays.stream(z).map(x -> Math.pow(x - m, 4)).sum() / n;
        assertEquals(0, m, 0.012, "normal mean (standard error 0.0022)");
        assertEquals(1, var, 0.016, "normal variance (standard error 0.0032)");
        assertEquals(0, skew, 0.03, "normal skewness (standard error 0.0055)");
        assertEquals(3, kurt, 0.06, "normal kurtosis (standard error 0.011)");
        long beyond2 = Arrays.stream(z).filter(x -> Math.abs(x) > 2).count();
        assertEquals(0.0455, beyond2 / (double) n, 0.003, "share beyond 2 sigma");
        double[] shifted = new double[n];
        g.fillNormal(shifted, 10, 0.5);
        assertEquals(10, Arrays.stream(shifted).average().orElseThrow(), 0.006);
        double[] d = new double[100_000];
        new Generator(1).fillUniform(d, 0, 1);
        for (double v : d) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        Generator g = new Generator(99);
        int threads = 4;
        int per = 20_000;
        long[][] out = new long[threads][per];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < per; i++) {
                    out[id][i] = g.nextLong();
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long[] all = Arrays.stream(out).flatMapToLong(Arrays::stream).sorted().toArray();
        long[] expected = new long[threads * per];
        Generator ref = new Generator(99);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = ref.nextLong();
        }
        Arrays.sort(expected);
        assertArrayEquals(expected, all, "a shared generator hands out each number of its stream exactly once");
    }

    @Test
    void useMakesAGeneratorThisThreadsDefaultUntilClosed() throws Exception {
        Generator process = Generator.global();
        Generator mine = new Generator(7);
        try (Generator.Scope outer = Generator.use(mine)) {
            assertSame(mine, Generator.global());
            Generator.seedGlobal(3);
            assertEquals(new Generator(3).nextLong(), Generator.global().nextLong(), "seedGlobal seeds the scope's");
            long[] other = new long[1];
            Thread t = new Thread(() -> other[0] = Generator.global() == process ? 1 : 0);
            t.start();
            t.join();
            assertEquals(1, other[0], "another thread still sees the process-wide generator");
            Generator inner = new Generator(8);
            try (Generator.Scope s = Generator.use(inner)) {
                assertSame(inner, Generator.global());
            }
            assertSame(mine, Generator.global(), "nested scopes restore the outer one");
            Throwable[] closedElsewhere = new Throwable[1];
            Thread closer = new Thread(() -> {
                try {
                    outer.close();
                } catch (IllegalStateException e) {
                    closedElsewhere[0] = e;
                }
            });
            closer.start();
            closer.join();
            assertTrue(closedElsewhere[0] != null && closedElsewhere[0].getMessage().startsWith(
                    "Generator.Scope.close: opened on thread"), String.valueOf(closedElsewhere[0]));
            assertSame(mine, Generator.global());
        }
        assertSame(process, Generator.global());
        assertThrows(IllegalArgumentException.class, () -> Generator.use(null));
    }
}
