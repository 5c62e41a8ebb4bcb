package dev.kasane.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.tensor.NDArray;
import java.util.Map;
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

    /** Asserts that each parameter's gradient matches the fixture's {@code grad_<name>} within {@code tol}. */
    private static void assertGradsMatch(Fixtures fx, Map<String, Tensor> params, double tol) {
        params.forEach((name, p) -> assertMatches(fx, "grad_" + name, p.grad(), tol));
    }

    @Test
    void layerNormByHand() {
        Fixtures fx = Fixtures.load("layer_norm");
        Map<String, Tensor> p = fx.params("x", "gamma");
        Tensor x = p.get("x");
        Tensor beta = fx.param("beta");
        Tensor mu = x.mean(-1, true);
        Tensor var = x.sub(mu).pow(2).mean(-1, true);
        Tensor y = x.sub(mu).div(var.add(1e-5).sqrt()).mul(p.get("gamma")).add(beta);
        Tensor loss = y.mul(fx.constant("w")).sum();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertGradsMatch(fx, p, 1e-10);
        assertMatches(fx, "grad_beta", beta.grad(), 1e-12);
    }

    @Test
    void tanhMlpMeanSquaredError() {
        Fixtures fx = Fixtures.load("mlp");
        Map<String, Tensor> p = fx.params("w", "b", "v");
        Tensor hidden = fx.constant("x").matmul(p.get("w")).add(p.get("b")).tanh();
        Tensor loss = hidden.matmul(p.get("v")).sub(fx.constant("target")).pow(2).mean();
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertGradsMatch(fx, p, 1e-10);
    }

    @Test
    void wganGradientPenaltyStep() {
        Fixtures fx = Fixtures.load("wgan_gp");
        Map<String, Tensor> p = fx.params("w1", "b1", "w2", "b2");
        Tensor[] c = {p.get("w1"), p.get("b1"), p.get("w2"), p.get("b2")};
        Tensor real = fx.constant("real");
        Tensor fake = fx.constant("fake");
        Tensor loss = HigherOrderTest.critic(fake, c[0], c[1], c[2], c[3]).mean()
                .sub(HigherOrderTest.critic(real, c[0], c[1], c[2], c[3]).mean())
                .add(HigherOrderTest.gradientPenalty(real, fake, fx.constant("alpha"), c[0], c[1], c[2], c[3]).mul(10));
        loss.backward();
        assertMatches(fx, "loss", loss, 1e-12);
        assertGradsMatch(fx, p, 1e-10);
    }
}
