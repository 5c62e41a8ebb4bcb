package dev.kasane.tensor;

/**
 * A seedable source of random numbers for the random creation functions of {@link NDArray}.
 *
 * <p>Numbers are produced on the host (xoshiro256** seeded through SplitMix64) and then uploaded, so one seed
 * gives the same numbers on every backend and every thread count. A generator is thread-safe; use one per
 * thread for reproducibility under concurrency. {@link #global()} is the default used when none is given: the
 * process-wide generator, or this thread's while a {@link #use} scope is open.
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(0x5EEDL);
    private static final ThreadLocal<Generator> THREAD_DEFAULT = new ThreadLocal<>();

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

    /**
     * The default generator: the one {@link #use} made this thread's default while its scope is open, else the
     * process-wide one.
     */
    public static Generator global() {
        Generator g = THREAD_DEFAULT.get();
        return g != null ? g : GLOBAL;
    }

    /** Seeds {@link #global()} (PyTorch's {@code torch.manual_seed}). */
    public static void seedGlobal(long seed) {
        global().manualSeed(seed);
    }

    /**
     * Makes {@code generator} this thread's default ({@link #global()}, which layer initialisation, dropout and the
     * random creation functions use) until the returned scope is closed; scopes nest. Work running concurrently on
     * several threads, each in a scope of its own generator, draws the same numbers whatever the timing.
     *
     * <pre>{@code
     * try (var scope = Generator.use(new Generator(fold))) {
     *     Module model = new LeNet5(10);   // initialised from the fold's generator, not the process-wide one
     * }
     * }</pre>
     */
    public static Scope use(Generator generator) {
        if (generator == null) {
            throw new IllegalArgumentException("Generator.use: generator is null");
        }
        Scope scope = new Scope(THREAD_DEFAULT.get());
        THREAD_DEFAULT.set(generator);
        return scope;
    }

    /** An open {@link #use} scope; closing it restores the thread's previous default. */
    public static final class Scope implements AutoCloseable {
        private final Generator previous;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(Generator previous) {
            this.previous = previous;
        }

        /**
         * Restores the default generator this thread had when the scope was opened. Closing again does nothing.
         *
         * @throws IllegalStateException if called from another thread than the one that opened the scope
         */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("Generator.Scope.close: opened on thread " + owner.getName()
                        + ", closed on " + Thread.currentThread().getName());
            }
            if (!closed) {
                closed = true;
                if (previous == null) {
                    THREAD_DEFAULT.remove();
                } else {
                    THREAD_DEFAULT.set(previous);
                }
            }
        }
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
