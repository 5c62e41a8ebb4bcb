package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradients of gradients: Hessians against finite differences, and a WGAN-GP gradient-penalty step. */
class HigherOrderTest {
    /** f(x, y) = sum(tanh(x * y) * exp(x) / (1 + y^2)). */
    private static Tensor composite(Tensor x, Tensor y) {
        return x.mul(y).tanh().mul(x.exp()).div(y.square().add(1)).sum();
    }

    @Test
    void secondDerivativesOfACompositeAgainstFiniteDifferences() {
        Tensor x = randn(2, 3);
        Tensor y = randn(3);
        assertTrue(GradCheck.checkSecondOrder(in -> composite(in[0], in[1]), x, y));
    }

    @Test
    void hessianColumnMatchesFiniteDifferencesOfTheGradient() {
        double[] x0 = {0.3, -0.7, 1.1};
        double[] y0 = {0.5, 1.5, -0.2};
        Tensor x = Tensor.of(x0.clone()).requiresGrad(true);
        Tensor y = Tensor.of(y0.clone()).requiresGrad(true);
        Tensor gx = Autograd.gradWithGraph(composite(x, y), x)[0];
        // d/dx (d f / d x_1): one Hessian row, analytically
        Tensor[] h = Autograd.grad(List.of(gx.select(0, 1)), List.of(x, y), null, false, false, false);
        double eps = 1e-6;
        for (int j = 0; j < 3; j++) {
            double[] xp = x0.clone();
            double[] xm = x0.clone();
            xp[j] += eps;
            xm[j] -= eps;
            double num = (gradX(xp, y0)[1] - gradX(xm, y0)[1]) / (2 * eps);
            assertEquals(num, h[0].toDoubleArray()[j], 1e-6);
        }
    }

    private static double[] gradX(double[] x0, double[] y0) {
        Tensor x = Tensor.of(x0).requiresGrad(true);
        return Autograd.grad(composite(x, Tensor.of(y0)), x)[0].toDoubleArray();
    }

    static Tensor critic(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        return x.matmul(w1).add(b1).leakyRelu(0.2).matmul(w2).add(b2);
    }

    /** mean((|grad_xHat D(xHat)| - 1)^2); needs grad mode (GradCheck evaluates it under noGrad). */
    static Tensor gradientPenalty(Tensor real, Tensor fake, Tensor alpha, Tensor... params) {
        try (var mode = Autograd.enableGrad()) {
            Tensor xHat = real.mul(alpha).add(fake.mul(alpha.rsub(1))).detach().requiresGrad(true);
            Tensor out = critic(xHat, params[0], params[1], params[2], params[3]);
            Tensor g = Autograd.grad(List.of(out.sum()), List.of(xHat), null, true, true, false)[0];
            return g.square().sum(1, false).add(1e-12).sqrt().sub(1).square().mean();
        }
    }

    @Test
    void wganGradientPenaltyReachesTheCriticWeights() {
        Generator gen = new Generator(7);
        Tensor w1 = Tensor.of(NDArray.normal(gen, 0, 0.7, DType.F64, Device.CPU, 4, 6), true);
        Tensor b1 = Tensor.of(NDArray.normal(gen, 0, 0.1, DType.F64, Device.CPU, 6), true);
        Tensor w2 = Tensor.of(NDArray.normal(gen, 0, 0.7, DType.F64, Device.CPU, 6, 1), true);
        Tensor b2 = Tensor.of(NDArray.normal(gen, 0, 0.1, DType.F64, Device.CPU, 1), true);
        Tensor real = Tensor.of(NDArray.normal(gen, 1, 1, DType.F64, Device.CPU, 5, 4));
        Tensor fake = Tensor.of(NDArray.normal(gen, -1, 1, DType.F64, Device.CPU, 5, 4));
        Tensor alpha = Tensor.of(NDArray.uniform(gen, 0, 1, DType.F64, Device.CPU, 5, 1));

        // one critic step: loss = D(fake) - D(real) + 10 * GP
        Tensor loss = critic(fake, w1, b1, w2, b2).mean().sub(critic(real, w1, b1, w2, b2).mean())
                .add(gradientPenalty(real, fake, alpha, w1, b1, w2, b2).mul(10));
        loss.backward();
        assertNotNull(w1.grad());
        assertNotNull(w2.grad());

        // the penalty alone has a non-zero gradient w.r.t. the weights, matching finite differences
        Tensor gp = gradientPenalty(real, fake, alpha, w1, b1, w2, b2);
        Tensor[] g = Autograd.grad(List.of(gp), List.of(w1, w2), null, false, false, true);
        assertTrue(g[0].abs().sum().item() > 1e-3);
        assertTrue(g[1].abs().sum().item() > 1e-3);
        assertTrue(GradCheck.check(p -> gradientPenalty(real, fake, alpha, p[0], p[1], p[2], p[3]), w1, b1, w2, b2));
    }

    @Test
    void gradOfGradThroughMatmulAndSoftmax() {
        Tensor a = randn(3, 4);
        Tensor b = randn(4, 2);
        assertTrue(GradCheck.checkSecondOrder(in -> in[0].matmul(in[1]).softmax(1).log().mul(in[0].sum()), a, b));
    }

    @Test
    void createGraphGradIsItselfDifferentiableTwice() {
        // d^3/dx^3 x^4 = 24 x
        Tensor x = Tensor.of(new double[] {1.5}).requiresGrad(true);
        Tensor g1 = Autograd.gradWithGraph(x.pow(4).sum(), x)[0];
        Tensor g2 = Autograd.gradWithGraph(g1.sum(), x)[0];
        Tensor g3 = Autograd.grad(g2.sum(), x)[0];
        assertArrayEquals(new double[] {36.0}, g3.toDoubleArray(), 1e-9);
    }
}
