package dev.kasane.tensor;

/**
 * A seedable source of random numbers for the random creation functions of {@link NDArray}.
 *
 * <p>Numbers are produced on the host (xoshiro256** seeded through SplitMix64) and then uploaded, so one seed
 * gives the same numbers on every backend and every thread count. A generator is thread-safe; use one per
 * thread for reproducibility under concurrency. {@link #global()} is the default used when none is given.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(0x5EEDL);

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareNormal;
    private boolean hasSpare;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The process-wide default generator. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Seeds the global generator (PyTorch's {@code torch.manual_seed}). */
    public static void seedGlobal(long seed) {
        GLOBAL.manualSeed(seed);
    }

    /** Resets the state as if newly constructed with {@code seed}. */
    public synchronized Generator manualSeed(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
        hasSpare = false;
        return this;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public synchronized long nextLong() {
        return next();
    }

    private long next() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public synchronized double nextDouble() {
        return (next() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public synchronized long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Generator.nextLong: bound must be positive, got " + bound);
        }
        long m = bound - 1;
        long r = next() >>> 1;
        if ((bound & m) == 0L) {
            return r & m;
        }
        long u = r;
        while (u - (r = u % bound) + m < 0L) {
            u = next() >>> 1;
        }
        return r;
    }

    /** Standard normal via the Box-Muller transform. */
    public synchronized double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u1;
        do {
            u1 = (next() >>> 11) * 0x1.0p-53;
        } while (u1 == 0.0);
        double u2 = (next() >>> 11) * 0x1.0p-53;
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareNormal = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Fills {@code out} with uniform values in [lo, hi). */
    public synchronized void fillUniform(double[] out, double lo, double hi) {
        double w = hi - lo;
        for (int i = 0; i < out.length; i++) {
            out[i] = lo + w * ((next() >>> 11) * 0x1.0p-53);
        }
    }

    /** Fills {@code out} with normal values of the given mean and standard deviation. */
    public synchronized void fillNormal(double[] out, double mean, double std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = mean + std * nextGaussian();
        }
    }
}
