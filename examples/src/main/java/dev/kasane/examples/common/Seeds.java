package dev.kasane.examples.common;

import dev.kasane.tensor.Generator;

/**
 * Reproducible randomness per epoch: every epoch's random numbers are derived from {@code (seed, epoch)} alone, so a
 * run resumed from a checkpoint at epoch {@code k} draws exactly what the uninterrupted run drew from epoch {@code k}
 * on, without having to save generator states.
 *
 * <pre>{@code
 * Generator.seedGlobal(seed);                       // model initialisation
 * var model = new LeNet5(10);
 * for (int epoch = start; epoch < epochs; epoch++) {
 *     Seeds.startEpoch(seed, epoch);                // global generator: dropout, noise, random transforms
 *     var loader = DataLoader.builder(train).batchSize(64).shuffle(true)
 *             .seed(Seeds.shuffleSeed(seed, epoch)).build();
 *     ...
 * }
 * }</pre>
 */
public final class Seeds {
    private Seeds() {
    }

    /** A well-mixed 64-bit value from {@code seed} and {@code parts} (SplitMix64 steps). */
    public static long derive(long seed, long... parts) {
        long x = mix(seed + 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            x = mix(x ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return x;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Reseeds the global generator for epoch {@code epoch} of a run seeded with {@code seed}. */
    public static void startEpoch(long seed, int epoch) {
        Generator.seedGlobal(derive(seed, epoch, 1));
    }

    /** The seed of epoch {@code epoch}'s data order (give it to a fresh DataLoader of that epoch). */
    public static long shuffleSeed(long seed, int epoch) {
        return derive(seed, epoch, 2);
    }

    /** A generator of its own for stream {@code stream} of epoch {@code epoch} (e.g. the noise of a GAN). */
    public static Generator generator(long seed, int epoch, long stream) {
        return new Generator(derive(seed, epoch, 3, stream));
    }
}
