package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StyleGAN's functional ops: analytic gradients against central differences in F64 (GradCheck), first and second order. */
class StyleGanGradCheckTest {
    @BeforeEach
    void seed() {
        Generator.seedGlobal(19);
    }

    private static Tensor rnd(int... shape) {
        return Tensor.randn(shape).requiresGrad(true);
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
