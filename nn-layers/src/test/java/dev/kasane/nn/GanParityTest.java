package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.GanLosses;
import dev.kasane.tensor.Generator;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * GAN losses, gradient penalties, conditional batch norm and the projection head against PyTorch (fixtures from
 * src/test/python/gen_gan_fixtures.py, float32; PyTorch has no such layers, so the generator writes them in a few
 * lines of torch). Tolerance {@code |a - e| <= 2e-5 (1 + |e|)}.
 */
class GanParityTest {
    private static final double TOL = 2e-5;

    @Test
    void lossesMatchPyTorch() {
        Map<String, Tensor> fx = Fixtures.load("gan_losses");
        checkPair(fx, "hinge", GanLosses::hingeDiscriminator, GanLosses::hingeGenerator);
        checkPair(fx, "non_saturating", GanLosses::nonSaturatingDiscriminator, GanLosses::nonSaturatingGenerator);
        checkPair(fx, "least_squares", GanLosses::leastSquaresDiscriminator, GanLosses::leastSquaresGenerator);
        checkPair(fx, "wasserstein", GanLosses::wassersteinDiscriminator, GanLosses::wassersteinGenerator);
    }

    private static void checkPair(Map<String, Tensor> fx, String name, BiFunction<Tensor, Tensor, Tensor> d,
                                  Function<Tensor, Tensor> g) {
        Tensor real = fx.get("real").clone().requiresGrad(true);
        Tensor fake = fx.get("fake").clone().requiresGrad(true);
        Tensor ld = d.apply(real, fake);
        ld.backward();
        assertClose(name + " discriminator loss", fx.get(name + ".d"), ld, TOL);
        assertClose(name + " discriminator grad of real", fx.get(name + ".d_grad_real"), real.grad(), TOL);
        assertClose(name + " discriminator grad of fake", fx.get(name + ".d_grad_fake"), fake.grad(), TOL);
        Tensor fake2 = fx.get("fake").clone().requiresGrad(true);
        Tensor lg = g.apply(fake2);
        lg.backward();
        assertClose(name + " generator loss", fx.get(name + ".g"), lg, TOL);
        assertClose(name + " generator grad of fake", fx.get(name + ".g_grad_fake"), fake2.grad(), TOL);
    }

    private static Sequential smallCritic() {
        return new Sequential(new Conv2d(1, 2, 3), new Tanh(), new Flatten(), new Linear(18, 1));
    }

    @Test
    void r1AndGradientPenaltiesAndTheirParameterGradientsMatchPyTorch() {
        for (String name : new String[] {"r1", "gp"}) {
            Map<String, Tensor> fx = Fixtures.load("gan_" + name);
            Sequential critic = smallCritic();
            critic.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
            Tensor x = fx.get("input");
            Tensor penalty = name.equals("r1") ? GanLosses.r1Penalty(critic::forward, x) : GanLosses.gradientPenalty(critic::forward, x);
            assertClose(name + " penalty", fx.get("penalty"), penalty, TOL);
            penalty.backward();
            Map<String, Tensor> params = critic.namedParameters();
            Fixtures.withPrefix(fx, "grad.").forEach((k, g) -> assertClose(name + " grad of " + k, g, params.get(k).grad(), TOL));
            assertNull(params.get("3.bias").grad(), name + ": the last bias does not reach the input gradient (PyTorch: None)");
        }
    }

    @Test
    void gradientPenaltyAtRandomInterpolatesIsThePenaltyAtThoseInterpolates() {
        Sequential critic = smallCritic();
        Tensor real = Tensor.randn(3, 1, 5, 5);
        Tensor fake = Tensor.randn(3, 1, 5, 5);
        Tensor drawn = GanLosses.gradientPenalty(critic::forward, real, fake, new Generator(7));
        Tensor t = Tensor.uniform(new Generator(7), 0, 1, real.dtype(), real.device(), 3, 1, 1, 1);
        Tensor expected = GanLosses.gradientPenalty(critic::forward, real.mul(t).add(fake.mul(t.rsub(1))));
        assertEquals(expected.item(), drawn.item(), 1e-6, "penalty at the interpolates of t ~ U(0, 1) from the same seed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GanLosses.gradientPenalty(critic::forward, real, Tensor.randn(2, 1, 5, 5), new Generator(7)));
        assertTrue(e.getMessage().startsWith("GanLosses.gradientPenalty: expected real and fake samples of one shape"), e.getMessage());
    }

    @Test
    void lossesRejectEmptyOrIntegerLogits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GanLosses.hingeDiscriminator(Tensor.of(new long[] {1, 2}, 2), Tensor.randn(2)));
        assertTrue(e.getMessage().startsWith("GanLosses.hingeDiscriminator: expected non-empty floating logits"), e.getMessage());
    }

    @Test
    void conditionalBatchNormWithClassesMatchesPyTorch() {
        conditionalMatches("gan_ccbn_classes", () -> ConditionalBatchNorm2d.ofClasses(3, 4),
                (m, x, c) -> ((ConditionalBatchNorm2d) m).forward(x, c));
    }

    @Test
    void conditionalBatchNormWithAVectorMatchesPyTorch() {
        conditionalMatches("gan_ccbn_vector", () -> ConditionalBatchNorm2d.ofVector(3, 5),
                (m, x, c) -> ((ConditionalBatchNorm2d) m).forward(x, c));
    }

    @Test
    void spectrallyNormalisedProjectionHeadMatchesPyTorch() {
        conditionalMatches("gan_projection", () -> new ProjectionDiscriminatorHead(6, 4, true),
                (m, x, c) -> ((ProjectionDiscriminatorHead) m).forward(x, c));
    }

    private interface ConditionalForward {
        Tensor apply(Module m, Tensor x, Tensor condition);
    }

    /** Two training forwards (outputs and buffers after each), then the gradients of the second. */
    private static void conditionalMatches(String name, Supplier<Module> factory, ConditionalForward forward) {
        Map<String, Tensor> fx = Fixtures.load(name);
        Module m = factory.get();
        m.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        Tensor c = fx.get("condition");
        Tensor x = null;
        Tensor y = null;
        for (int s = 0; s < 2; s++) {
            x = fx.get("input" + s).clone().requiresGrad(true);
            y = forward.apply(m, x, c);
            assertClose(name + " output " + s, fx.get("output" + s), y, TOL);
            Map<String, Tensor> state = m.stateDict();
            Map<String, Tensor> after = Fixtures.withPrefix(fx, "after" + s + ".");
            assertEquals(after.keySet(), state.keySet(), name + " state-dict keys");
            after.forEach((k, v) -> assertClose(name + " " + k + " after step", v, state.get(k), TOL));
        }
        y.backward(fx.get("grad_output"));
        assertClose(name + " grad_input", fx.get("grad_input"), x.grad(), TOL);
        Map<String, Tensor> params = m.namedParameters();
        Fixtures.withPrefix(fx, "grad.").forEach((k, g) -> assertClose(name + " grad of " + k, g, params.get(k).grad(), TOL));
    }

    @Test
    void conditionalLayersNameTheMissingOrWrongCondition() {
        ConditionalBatchNorm2d bn = ConditionalBatchNorm2d.ofClasses(3, 4);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.randn(2, 3, 2, 2)));
        assertTrue(none.getMessage().contains("needs a condition: call forward(input, condition) with class indices [N]"),
                none.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.randn(2, 3, 2, 2), Tensor.randn(2, 5)));
        assertTrue(wrong.getMessage().contains("expected integer class indices [2]"), wrong.getMessage());
        ProjectionDiscriminatorHead head = new ProjectionDiscriminatorHead(6, 4, false);
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> head.forward(Tensor.randn(3, 6), Tensor.of(new long[] {0, 1}, 2)));
        assertTrue(labels.getMessage().contains("expected integer class indices [3]"), labels.getMessage());
    }
}
