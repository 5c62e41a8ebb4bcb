package dev.kasane.examples.dcgan;

import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Identity;
import dev.kasane.nn.LeakyReLU;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Sequential;

/**
 * The WGAN-GP critic for 28x28 images: {@code DCGAN.discriminator28()} with its BatchNorm2d replaced by an identity.
 *
 * <p>Why: the gradient penalty of Gulrajani et al. (2017) constrains the norm of the critic's gradient with respect to
 * each input independently; batch normalisation makes each output depend on the whole batch, which invalidates that
 * per-sample penalty, so the paper drops it from the critic (section 4, "No critic batch normalization") and suggests
 * layer normalisation as a drop-in if a normaliser is wanted. Their released MNIST critic uses none, and so does this
 * one. Keeping an {@code Identity} at index 3 keeps the other state-dict keys identical to the discriminator's
 * ({@code 0.weight}, {@code 2.weight}, {@code 6.weight}, ...).
 */
public final class Critic28 {
    private Critic28() {
    }

    /**
     * Conv(1, 64, 4, 2, 1) - LeakyReLU(0.2) - Conv(64, 128, 4, 2, 1) - Identity - LeakyReLU(0.2) - Flatten -
     * Linear(128*7*7, 1).
     *
     * @return a model mapping {@code [N, 1, 28, 28]} to scores {@code [N, 1]}
     */
    public static Sequential create() {
        return new Sequential(
                new Conv2d(1, 64, 4, 2, 1), new LeakyReLU(0.2),
                new Conv2d(64, 128, 4, 2, 1), new Identity(), new LeakyReLU(0.2),
                new Flatten(), new Linear(128 * 7 * 7, 1));
    }
}
