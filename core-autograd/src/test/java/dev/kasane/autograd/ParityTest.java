package dev.kasane.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.tensor.NDArray;
import org.junit.jupiter.api.Test;

/** Gradients of composite expressions written by hand, compared with PyTorch (see src/test/python/gen_fixtures.py). */
class ParityTest {
    private static void assertMatches(Fixtures fx, String expected, Tensor actual, double tol) {
        NDArray e = fx.get(expected);
        assertArrayEquals(e.shape(), actual.shape(), expected + " shape");
        double[] ev = e.toDoubleArray();
        double[] av = actual.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            double t = tol * Math.max(1, Math.abs(ev[i]));
            assertEquals(ev[i], av[i], t, expected + "[" + i + "]");
        }
    }

    @Test
    void softmaxCrossEntropyByHand() {
        Fixtures fx = Fixtures.load("softmax_cross_entropy");
        Tensor logits = fx.param("logits");
        Tensor target = fx.constant("target");
        Tensor logProbs = logits.sub(logits.logSumExp(1, true));
        Tensor loss = logProbs.gather(1, target.unsqueeze(1)).mean().neg();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertMatches(fx, "grad_logits", logits.grad(), 1e-12);
    }

    @Test
    void softmaxCrossEntropyF32() {
        Fixtures fx = Fixtures.load("softmax_cross_entropy_f32");
        Tensor logits = fx.param("logits");
        Tensor loss = logits.logSoftmax(1).gather(1, fx.constant("target").unsqueeze(1)).mean().neg();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-6);
        assertMatches(fx, "grad_logits", logits.grad(), 1e-6);
    }

    @Test
    void layerNormByHand() {
        Fixtures fx = Fixtures.load("layer_norm");
        Tensor x = fx.param("x");
        Tensor gamma = fx.param("gamma");
        Tensor beta = fx.param("beta");
        Tensor mu = x.mean(-1, true);
        Tensor var = x.sub(mu).pow(2).mean(-1, true);
        Tensor y = x.sub(mu).div(var.add(1e-5).sqrt()).mul(gamma).add(beta);
        Tensor loss = y.mul(fx.constant("w")).sum();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertMatches(fx, "grad_x", x.grad(), 1e-10);
        assertMatches(fx, "grad_gamma", gamma.grad(), 1e-10);
        assertMatches(fx, "grad_beta", beta.grad(), 1e-12);
    }

    @Test
    void tanhMlpMeanSquaredError() {
        Fixtures fx = Fixtures.load("mlp");
        Tensor w = fx.param("w");
        Tensor b = fx.param("b");
        Tensor v = fx.param("v");
        Tensor loss = fx.constant("x").matmul(w).add(b).tanh().matmul(v).sub(fx.constant("target")).pow(2).mean();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertMatches(fx, "grad_w", w.grad(), 1e-10);
        assertMatches(fx, "grad_b", b.grad(), 1e-10);
        assertMatches(fx, "grad_v", v.grad(), 1e-10);
    }

    @Test
    void wganGradientPenaltyStep() {
        Fixtures fx = Fixtures.load("wgan_gp");
        Tensor w1 = fx.param("w1");
        Tensor b1 = fx.param("b1");
        Tensor w2 = fx.param("w2");
        Tensor b2 = fx.param("b2");
        Tensor real = fx.constant("real");
        Tensor fake = fx.constant("fake");
        Tensor loss = HigherOrderTest.critic(fake, w1, b1, w2, b2).mean().sub(HigherOrderTest.critic(real, w1, b1, w2, b2).mean())
                .add(HigherOrderTest.gradientPenalty(real, fake, fx.constant("alpha"), w1, b1, w2, b2).mul(10));
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertMatches(fx, "grad_w1", w1.grad(), 1e-10);
        assertMatches(fx, "grad_b1", b1.grad(), 1e-10);
        assertMatches(fx, "grad_w2", w2.grad(), 1e-10);
        assertMatches(fx, "grad_b2", b2.grad(), 1e-10);
    }
}
