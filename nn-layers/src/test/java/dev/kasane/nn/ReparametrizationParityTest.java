package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SpectralNorm and WeightNorm against {@code torch.nn.utils.spectral_norm} / {@code weight_norm} (fixtures from
 * src/test/python/gen_gan_fixtures.py, float32): PyTorch's state dict loads under its keys, then several training
 * forwards match the outputs and the power iteration's {@code weight_u}, {@code weight_v} after each, the last one's
 * parameter gradients, and an evaluation forward that leaves the buffers alone. Tolerance
 * {@code |a - e| <= 2e-5 (1 + |e|)}.
 */
class ReparametrizationParityTest {
    private static final double TOL = 2e-5;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("sn_linear", (Supplier<Module>) () -> SpectralNorm.apply(new Linear(5, 4)), 3),
                Arguments.of("sn_conv2d", (Supplier<Module>) () -> SpectralNorm.apply(new Conv2d(3, 4, 3, 1, 1), 2, 1e-12, 0), 3),
                Arguments.of("sn_conv_transpose2d", (Supplier<Module>) () -> SpectralNorm.apply(new ConvTranspose2d(4, 3, 4, 2, 1)), 3),
                Arguments.of("wn_linear", (Supplier<Module>) () -> WeightNorm.apply(new Linear(5, 4), 0), 1),
                Arguments.of("wn_conv2d_dim1", (Supplier<Module>) () -> WeightNorm.apply(new Conv2d(3, 4, 3), 1), 1),
                Arguments.of("wn_conv2d_whole", (Supplier<Module>) () -> WeightNorm.apply(new Conv2d(3, 4, 3), -1), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Supplier<Module> factory, int steps) {
        Map<String, Tensor> fx = Fixtures.load("gan_" + name);
        Module m = factory.get();
        m.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        m.train();
        Tensor y = null;
        for (int s = 0; s < steps; s++) {
            y = m.forward(fx.get("input" + s));
            assertClose(name + " output of step " + s, fx.get("output" + s), y, TOL);
            assertState(name + " after step " + s, Fixtures.withPrefix(fx, "after" + s + "."), m);
        }
        y.backward(fx.get("grad_output"));
        Map<String, Tensor> params = m.namedParameters();
        Fixtures.withPrefix(fx, "grad.").forEach((k, g) -> assertClose(name + " grad of " + k, g, params.get(k).grad(), TOL));
        m.eval();
        assertClose(name + " eval output", fx.get("eval_output"), m.forward(fx.get("eval_input")), TOL);
        assertState(name + " after eval", Fixtures.withPrefix(fx, "eval_after."), m);
    }

    private static void assertState(String what, Map<String, Tensor> expected, Module m) {
        Map<String, Tensor> state = m.stateDict();
        assertEquals(expected.keySet(), state.keySet(), what + ": state-dict keys");
        expected.forEach((k, v) -> assertClose(what + " " + k, v, state.get(k), TOL));
    }

    @Test
    void spectralNormOfAnEmbeddingMatchesPyTorch() {
        Map<String, Tensor> fx = Fixtures.load("gan_sn_embedding");
        Embedding e = SpectralNorm.apply(new Embedding(6, 4));
        e.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        for (int s = 0; s < 2; s++) {
            assertClose("embedding output " + s, fx.get("output" + s), e.forward(fx.get("input")), TOL);
            assertState("embedding after step " + s, Fixtures.withPrefix(fx, "after" + s + "."), e);
        }
    }

    @Test
    void spectralNormKeepsTheLargestSingularValueNearOne() {
        Generator.seedGlobal(3);
        Linear fc = SpectralNorm.apply(new Linear(6, 5));
        for (int i = 0; i < 100; i++) {
            fc.forward(Tensor.randn(1, 6));
        }
        fc.eval();
        // sigma of the normalised weight: the largest eigenvalue of W^T W, by power iteration from a fixed start
        Tensor w = fc.weight().detach();
        Tensor x = Tensor.ones(6);
        for (int i = 0; i < 200; i++) {
            x = w.t().matmul(w.matmul(x));
            x = x.div(x.square().sum().sqrt());
        }
        double sigma = w.matmul(x).square().sum().sqrt().item();
        assertEquals(1.0, sigma, 1e-4, "largest singular value of the spectrally normalised weight");
    }

    @Test
    void twoTrainingForwardsBackpropagateTogether() {
        // a discriminator's D(real) and D(fake) in one loss: the second power iteration must not invalidate the
        // vectors saved by the first forward's graph (PyTorch clones them)
        Linear fc = SpectralNorm.apply(new Linear(4, 1));
        Tensor first = fc.forward(Tensor.randn(3, 4));
        Tensor second = fc.forward(Tensor.randn(3, 4));
        first.sum().add(second.sum()).backward();
        Tensor g = fc.namedParameters().get("weight_orig").grad();
        assertTrue(g != null && g.isFinite().all().toBooleanArray()[0], "weight_orig receives a finite gradient");
    }

    @Test
    void weightNormLeavesTheOutputUnchangedAndParametersRenamed() {
        Linear plain = new Linear(4, 3);
        Tensor x = Tensor.randn(2, 4);
        Tensor before = plain.forward(x).detach();
        WeightNorm.apply(plain, 0);
        assertClose("output after WeightNorm.apply", before, plain.forward(x), 1e-6);
        assertEquals(List.of("bias", "weight_g", "weight_v"), List.copyOf(plain.namedParameters().keySet()));
    }

    @Test
    void optionsAndDoubleReparametrizationAreRejected() {
        Linear fc = SpectralNorm.apply(new Linear(3, 2));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> WeightNorm.apply(fc, 0));
        assertTrue(twice.getMessage().contains("already reparametrized by SpectralNorm"), twice.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> SpectralNorm.apply(new Linear(3, 2), 1, 1e-12, 2));
        assertTrue(dim.getMessage().contains("dim 2 is out of range for a weight of shape [2, 3]"), dim.getMessage());
        IllegalArgumentException iters = assertThrows(IllegalArgumentException.class,
                () -> SpectralNorm.apply(new Linear(3, 2), 0, 1e-12, 0));
        assertTrue(iters.getMessage().contains("nPowerIterations must be positive"), iters.getMessage());
        IllegalArgumentException reset = assertThrows(IllegalArgumentException.class, fc::resetParameters);
        assertTrue(reset.getMessage().contains("no parameter 'weight'"), reset.getMessage());
    }
}
