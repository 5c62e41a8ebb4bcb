package dev.kasane.nn;

import static dev.kasane.nn.TestTensors.rnd;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.GanLosses;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Analytic gradients of the GAN building blocks, StyleGAN's functional ops among them, against central differences
 * in F64 (GradCheck's defaults: eps 1e-6, atol 1e-5, rtol 1e-3), first and second order.
 */
class GanGradCheckTest {
    @BeforeEach
    void seed() {
        Generator.seedGlobal(19);
    }

    @Test
    void spectrallyNormalisedWeightInWeightAndVectors() {
        GradCheck.Fn f = x -> SpectralNorm.normalizedWeight(x[0], x[1], x[2], 1);
        assertTrue(GradCheck.check(f, rnd(3, 4, 2), rnd(4), rnd(6)));
        assertTrue(GradCheck.checkSecondOrder(x -> f.apply(x).tanh(), rnd(3, 4, 2), rnd(4), rnd(6)));
    }

    @Test
    void weightNormalisedWeightPerDimAndWhole() {
        assertTrue(GradCheck.check(x -> WeightNorm.weight(x[0], x[1], 0), rnd(4, 3, 2), rnd(4, 1, 1)));
        assertTrue(GradCheck.check(x -> WeightNorm.weight(x[0], x[1], 2), rnd(4, 3, 2), rnd(1, 1, 2)));
        assertTrue(GradCheck.checkSecondOrder(x -> WeightNorm.weight(x[0], x[1], -1), rnd(3, 2), rnd()));
    }

    @Test
    void adversarialLossesFirstAndSecondOrder() {
        GradCheck.Fn[] fns = {
            x -> GanLosses.hingeDiscriminator(x[0], x[1]).add(GanLosses.hingeGenerator(x[1])),
            x -> GanLosses.nonSaturatingDiscriminator(x[0], x[1]).add(GanLosses.nonSaturatingGenerator(x[1])),
            x -> GanLosses.leastSquaresDiscriminator(x[0], x[1]).add(GanLosses.leastSquaresGenerator(x[1])),
            x -> GanLosses.wassersteinDiscriminator(x[0], x[1]).add(GanLosses.wassersteinGenerator(x[1])),
        };
        for (GradCheck.Fn f : fns) {
            assertTrue(GradCheck.check(f, rnd(5, 1), rnd(5, 1)));
            assertTrue(GradCheck.checkSecondOrder(f, rnd(5, 1), rnd(5, 1)));
        }
    }

    @Test
    void penaltiesInTheCriticsWeightsAndTheSamples() {
        // a critic with a parameter: D(x) = sum tanh(x w) per sample, w [3, 2]; the penalties differentiate its input
        // gradient, so checking them is checking a gradient of a gradient
        // (the samples are data: the penalties detach them, so only the weights are checked)
        GradCheck.Fn r1 = x -> GanLosses.r1Penalty(in -> in.matmul(x[1]).tanh().sum(1), x[0]);
        assertTrue(GradCheck.check(r1, Tensor.randn(4, 3), rnd(3, 2)));
        GradCheck.Fn gp = x -> GanLosses.gradientPenalty(in -> in.matmul(x[1]).tanh().sum(1), x[0]);
        assertTrue(GradCheck.check(gp, Tensor.randn(4, 3), rnd(3, 2)));
    }

    @Test
    void conditionalBatchNormAndProjectionHead() {
        Tensor labels = Tensor.of(new long[] {0, 2, 1}, 3);
        ConditionalBatchNorm2d bn = ConditionalBatchNorm2d.ofVector(2, 4);
        bn.to(dev.kasane.tensor.DType.F64);
        assertTrue(GradCheck.check(x -> bn.forward(x[0], x[1]), rnd(3, 2, 2, 2), rnd(3, 4)));
        ProjectionDiscriminatorHead head = new ProjectionDiscriminatorHead(5, 3, false);
        head.to(dev.kasane.tensor.DType.F64);
        assertTrue(GradCheck.check(x -> head.forward(x[0], labels), rnd(3, 5)));
    }

    @Test
    void modulatedConvolutionWithAndWithoutDemodulation() {
        assertTrue(GradCheck.check(x -> F.modulatedConv2d(x[0], x[1], x[2], true), rnd(2, 3, 4, 5), rnd(2, 3, 3, 3), rnd(2, 3)));
        assertTrue(GradCheck.check(x -> F.modulatedConv2d(x[0], x[1], x[2], false), rnd(3, 2, 3, 3), rnd(4, 2, 1, 1), rnd(3, 2)));
    }

    @Test
    void modulatedConvolutionSecondOrder() {
        // R1-style penalties differentiate the discriminator's input gradient; the generator's path length needs it too
        assertTrue(GradCheck.checkSecondOrder(x -> F.modulatedConv2d(x[0], x[1], x[2], true).tanh(), rnd(2, 2, 3, 3),
                rnd(2, 2, 3, 3), rnd(2, 2)));
    }

    @Test
    void minibatchStdDevFirstAndSecondOrder() {
        assertTrue(GradCheck.check(x -> F.minibatchStdDev(x[0], 2, 2), rnd(4, 4, 2, 3)));
        assertTrue(GradCheck.checkSecondOrder(x -> F.minibatchStdDev(x[0], 4, 1).square(), rnd(4, 2, 2, 2)));
    }

    @Test
    void pixelNorm() {
        assertTrue(GradCheck.check(x -> F.pixelNorm(x[0], 1e-8), rnd(3, 5)));
        assertTrue(GradCheck.checkSecondOrder(x -> F.pixelNorm(x[0], 1e-8), rnd(2, 3, 2, 2)));
    }
}
