package dev.kasane.vision.models;

import dev.kasane.nn.BatchNorm1d;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.ConvTranspose2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.LeakyReLU;
import dev.kasane.nn.Linear;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.Tanh;
import dev.kasane.nn.Unflatten;

/**
 * Deep convolutional GANs (Radford, Metz and Chintala 2016) as {@code Sequential} models whose layers and
 * state-dict keys ({@code 0.weight}, {@code 1.running_mean}, ...) are those of {@code reference_models.dcgan28} and
 * {@code reference_models.dcgan64}. Generators end in tanh (images in [-1, 1]); discriminators return logits
 * {@code [N, 1]} (use a BCE-with-logits loss).
 *
 * <pre>{@code
 * Sequential g = DCGAN.generator28(100);         // [N, 100] -> [N, 1, 28, 28]
 * Sequential d = DCGAN.discriminator28();        // [N, 1, 28, 28] -> [N, 1]
 * Sequential g64 = DCGAN.generator64(100, 3, 64); // [N, 100, 1, 1] -> [N, 3, 64, 64]
 * }</pre>
 */
public final class DCGAN {
    private DCGAN() {
    }

    private static void positive(String op, int... v) {
        for (int x : v) {
            if (x < 1) {
                throw new IllegalArgumentException("DCGAN." + op + ": sizes must be >= 1, got " + java.util.Arrays.toString(v));
            }
        }
    }

    /**
     * The 28x28 generator: Linear(latent, 128*7*7) - BatchNorm1d - ReLU - Unflatten(128, 7, 7) -
     * ConvTranspose(128, 64, 4, 2, 1) - BatchNorm2d - ReLU - ConvTranspose(64, 1, 4, 2, 1) - Tanh.
     *
     * @param latent size of the noise vector (100 in the reference)
     * @return a model mapping {@code [N, latent]} to {@code [N, 1, 28, 28]}
     */
    public static Sequential generator28(int latent) {
        positive("generator28", latent);
        return new Sequential(
                new Linear(latent, 128 * 7 * 7), new BatchNorm1d(128 * 7 * 7), new ReLU(),
                new Unflatten(1, 128, 7, 7),
                new ConvTranspose2d(128, 64, 4, 2, 1), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 4, 2, 1), new Tanh());
    }

    /**
     * The 28x28 discriminator: Conv(1, 64, 4, 2, 1) - LeakyReLU(0.2) - Conv(64, 128, 4, 2, 1) - BatchNorm2d -
     * LeakyReLU(0.2) - Flatten - Linear(128*7*7, 1).
     *
     * @return a model mapping {@code [N, 1, 28, 28]} to logits {@code [N, 1]}
     */
    public static Sequential discriminator28() {
        return new Sequential(
                new Conv2d(1, 64, 4, 2, 1), new LeakyReLU(0.2),
                new Conv2d(64, 128, 4, 2, 1), new BatchNorm2d(128), new LeakyReLU(0.2),
                new Flatten(), new Linear(128 * 7 * 7, 1));
    }

    /** {@link #generator64(int, int, int)} with the paper's sizes: latent 100, 3 channels, ngf 64. */
    public static Sequential generator64() {
        return generator64(100, 3, 64);
    }

    /**
     * The 64x64 generator of Radford et al.: bias-free ConvTranspose 4x4 layers (latent -> 8ngf at 4x4, stride 1, no
     * padding; then stride 2, padding 1: 4ngf at 8x8, 2ngf at 16x16, ngf at 32x32, channels at 64x64), BatchNorm2d and
     * ReLU after each but the last, which is followed by Tanh.
     *
     * @param latent size of the noise vector
     * @param channels image channels
     * @param ngf base feature count
     * @return a model mapping {@code [N, latent, 1, 1]} to {@code [N, channels, 64, 64]}
     */
    public static Sequential generator64(int latent, int channels, int ngf) {
        positive("generator64", latent, channels, ngf);
        return new Sequential(
                new ConvTranspose2d(latent, ngf * 8, 4, 1, 0, false), new BatchNorm2d(ngf * 8), new ReLU(),
                new ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, false), new BatchNorm2d(ngf * 4), new ReLU(),
                new ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, false), new BatchNorm2d(ngf * 2), new ReLU(),
                new ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, false), new BatchNorm2d(ngf), new ReLU(),
                new ConvTranspose2d(ngf, channels, 4, 2, 1, false), new Tanh());
    }

    /** {@link #discriminator64(int, int)} with the paper's sizes: 3 channels, ndf 64. */
    public static Sequential discriminator64() {
        return discriminator64(3, 64);
    }

    /**
     * The 64x64 discriminator of Radford et al.: bias-free Conv 4x4 stride 2 padding 1 layers (ndf at 32x32, 2ndf,
     * 4ndf, 8ndf at 4x4) with LeakyReLU(0.2) and BatchNorm2d (not after the first), then a 4x4 convolution to one
     * logit and Flatten.
     *
     * @param channels image channels
     * @param ndf base feature count
     * @return a model mapping {@code [N, channels, 64, 64]} to logits {@code [N, 1]}
     */
    public static Sequential discriminator64(int channels, int ndf) {
        positive("discriminator64", channels, ndf);
        return new Sequential(
                new Conv2d(channels, ndf, 4, 2, 1, false), new LeakyReLU(0.2),
                new Conv2d(ndf, ndf * 2, 4, 2, 1, false), new BatchNorm2d(ndf * 2), new LeakyReLU(0.2),
                new Conv2d(ndf * 2, ndf * 4, 4, 2, 1, false), new BatchNorm2d(ndf * 4), new LeakyReLU(0.2),
                new Conv2d(ndf * 4, ndf * 8, 4, 2, 1, false), new BatchNorm2d(ndf * 8), new LeakyReLU(0.2),
                new Conv2d(ndf * 8, 1, 4, 1, 0, false), new Flatten());
    }
}
