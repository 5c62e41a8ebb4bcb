package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The adversarial losses of GAN training, as functions of the discriminator's logits (its raw, unbounded outputs),
 * each a mean over the batch, and the two gradient penalties. Each pair is one objective: the discriminator
 * (critic) minimises {@code xDiscriminator(real, fake)}, the generator minimises {@code xGenerator(fake)}.
 *
 * <ul>
 * <li>hinge (Lim and Ye 2017; SN-GAN, BigGAN): D {@code mean relu(1 - D(x)) + mean relu(1 + D(G(z)))},
 *     G {@code -mean D(G(z))};
 * <li>non-saturating (Goodfellow et al. 2014; DCGAN): D {@code mean softplus(-D(x)) + mean softplus(D(G(z)))}
 *     (binary cross entropy with logits, real 1, fake 0), G {@code mean softplus(-D(G(z)))} ({@code -log sigmoid});
 * <li>least squares (Mao et al. 2017, labels a = 0, b = c = 1): D {@code mean (D(x) - 1)^2 / 2 + mean D(G(z))^2 / 2},
 *     G {@code mean (D(G(z)) - 1)^2 / 2};
 * <li>Wasserstein (Arjovsky et al. 2017): D {@code mean D(G(z)) - mean D(x)}, G {@code -mean D(G(z))}, with
 *     {@link #gradientPenalty} (WGAN-GP, Gulrajani et al. 2017);
 * <li>{@link #r1Penalty} (Mescheder et al. 2018), added to any discriminator loss times {@code gamma / 2}.
 * </ul>
 *
 * <pre>{@code
 * Tensor lossD = GanLosses.hingeDiscriminator(d.forward(real), d.forward(fake.detach()));
 * Tensor lossG = GanLosses.hingeGenerator(d.forward(fake));
 * }</pre>
 */
public final class GanLosses {
    private GanLosses() {
    }

    /** The hinge loss of the discriminator: {@code mean relu(1 - real) + mean relu(1 + fake)}. */
    public static Tensor hingeDiscriminator(Tensor realLogits, Tensor fakeLogits) {
        check("hingeDiscriminator", realLogits, fakeLogits);
        return realLogits.rsub(1).relu().mean().add(fakeLogits.add(1).relu().mean());
    }

    /** The hinge loss of the generator: {@code -mean fake}. */
    public static Tensor hingeGenerator(Tensor fakeLogits) {
        check("hingeGenerator", fakeLogits);
        return fakeLogits.mean().neg();
    }

    /** The discriminator's cross entropy: {@code mean softplus(-real) + mean softplus(fake)}. */
    public static Tensor nonSaturatingDiscriminator(Tensor realLogits, Tensor fakeLogits) {
        check("nonSaturatingDiscriminator", realLogits, fakeLogits);
        return softplus(realLogits.neg()).mean().add(softplus(fakeLogits).mean());
    }

    /** The non-saturating generator loss {@code mean softplus(-fake)} ({@code -log sigmoid(fake)}). */
    public static Tensor nonSaturatingGenerator(Tensor fakeLogits) {
        check("nonSaturatingGenerator", fakeLogits);
        return softplus(fakeLogits.neg()).mean();
    }

    /** The least-squares discriminator loss {@code mean (real - 1)^2 / 2 + mean fake^2 / 2}. */
    public static Tensor leastSquaresDiscriminator(Tensor realLogits, Tensor fakeLogits) {
        check("leastSquaresDiscriminator", realLogits, fakeLogits);
        return realLogits.sub(1).square().mean().add(fakeLogits.square().mean()).mul(0.5);
    }

    /** The least-squares generator loss {@code mean (fake - 1)^2 / 2}. */
    public static Tensor leastSquaresGenerator(Tensor fakeLogits) {
        check("leastSquaresGenerator", fakeLogits);
        return fakeLogits.sub(1).square().mean().mul(0.5);
    }

    /** The critic's Wasserstein loss {@code mean fake - mean real} (its negation estimates the distance). */
    public static Tensor wassersteinDiscriminator(Tensor realLogits, Tensor fakeLogits) {
        check("wassersteinDiscriminator", realLogits, fakeLogits);
        return fakeLogits.mean().sub(realLogits.mean());
    }

    /** The generator's Wasserstein loss {@code -mean fake}. */
    public static Tensor wassersteinGenerator(Tensor fakeLogits) {
        check("wassersteinGenerator", fakeLogits);
        return fakeLogits.mean().neg();
    }

    /**
     * WGAN-GP's penalty at random interpolates {@code x_i = t_i real_i + (1 - t_i) fake_i}, one {@code t_i ~ U(0, 1)}
     * per sample drawn from {@code gen}: {@link #gradientPenalty(UnaryOperator, Tensor)} at those points.
     *
     * @param critic the critic, one logit per sample (any shape whose sum is the total)
     * @throws IllegalArgumentException if {@code real} and {@code fake} differ in shape, dtype or device
     */
    public static Tensor gradientPenalty(UnaryOperator<Tensor> critic, Tensor real, Tensor fake, Generator gen) {
        if (!Arrays.equals(real.shape(), fake.shape()) || real.dtype() != fake.dtype() || !real.device().equals(fake.device())) {
            throw new IllegalArgumentException("GanLosses.gradientPenalty: expected real and fake samples of one shape, dtype "
                    + "and device, got real " + real.describe() + ", fake " + fake.describe());
        }
        checkSamples("gradientPenalty", real);
        int[] shape = new int[real.dim()];
        Arrays.fill(shape, 1);
        shape[0] = real.size(0);
        Tensor t = Tensor.uniform(gen, 0, 1, real.dtype(), real.device(), shape);
        return gradientPenalty(critic, real.detach().mul(t).add(fake.detach().mul(t.rsub(1))));
    }

    /**
     * WGAN-GP's penalty {@code mean_i (||grad_x D(x_i)||_2 - 1)^2} at the given points. The input gradient is taken
     * with {@code createGraph}, so the penalty is differentiable in the critic's parameters; a tiny constant (1e-12)
     * under the square root keeps the norm's derivative finite at zero.
     *
     * @param critic the critic, one logit per sample (any shape whose sum is the total)
     * @param points the samples [N, ...] (detached here)
     * @throws IllegalArgumentException if {@code points} is not floating point or has no batch dim
     */
    public static Tensor gradientPenalty(UnaryOperator<Tensor> critic, Tensor points) {
        checkSamples("gradientPenalty", points);
        Tensor norm = inputGradient(critic, points).square().sum(otherDims(points), false).add(1e-12).sqrt();
        return norm.sub(1).square().mean();
    }

    /**
     * The R1 penalty {@code mean_i ||grad_x D(x_i)||_2^2} at the real samples (the regulariser is
     * {@code gamma / 2} times it). The input gradient is taken with {@code createGraph}, so the penalty is
     * differentiable in the discriminator's parameters (a gradient of a gradient).
     *
     * @param critic the discriminator, one logit per sample (any shape whose sum is the total)
     * @throws IllegalArgumentException if {@code real} is not floating point or has no batch dim
     */
    public static Tensor r1Penalty(UnaryOperator<Tensor> critic, Tensor real) {
        checkSamples("r1Penalty", real);
        return inputGradient(critic, real).square().sum(otherDims(real), false).mean();
    }

    /** {@code grad_x sum(critic(x))} at a detached copy of {@code points}, recorded so it can be differentiated again. */
    @SuppressWarnings("try") // the guard is only opened and closed
    private static Tensor inputGradient(UnaryOperator<Tensor> critic, Tensor points) {
        Objects.requireNonNull(critic, "critic");
        Tensor x = points.detach().requiresGrad(true);
        try (var g = Autograd.enableGrad()) {
            Tensor out = critic.apply(x);
            return Autograd.grad(List.of(out.sum()), List.of(x), null, true, true, false)[0];
        }
    }

    private static int[] otherDims(Tensor x) {
        int[] dims = new int[x.dim() - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i + 1;
        }
        return dims;
    }

    private static Tensor softplus(Tensor x) {
        return F.softplus(x, 1, 20);
    }

    private static void check(String op, Tensor... logits) {
        for (Tensor l : logits) {
            Objects.requireNonNull(l, op + ": logits");
            if (!l.dtype().isFloating() || l.numel() == 0) {
                throw new IllegalArgumentException("GanLosses." + op + ": expected non-empty floating logits, got " + l.describe());
            }
        }
        if (logits.length == 2 && (logits[0].dtype() != logits[1].dtype() || !logits[0].device().equals(logits[1].device()))) {
            throw new IllegalArgumentException("GanLosses." + op + ": real and fake logits differ in dtype or device: real "
                    + logits[0].describe() + ", fake " + logits[1].describe());
        }
    }

    private static void checkSamples(String op, Tensor x) {
        if (x.dim() < 1 || x.numel() == 0 || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("GanLosses." + op + ": expected non-empty floating samples [N, ...], got " + x.describe());
        }
    }
}
