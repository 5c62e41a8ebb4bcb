package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layers of the CycleGAN and StyleGAN parts against PyTorch (fixtures from
 * src/test/python/gen_stylecycle_fixtures.py, float32), compared as {@link NnParityTest} compares layers: output,
 * input and parameter gradients, buffers after the forward. Tolerance {@link NnParityTest#TOL}.
 */
class StyleCycleParityTest {
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("reflection_pad_3", (Supplier<Module>) () -> new ReflectionPad2d(3), true),
                Arguments.of("reflection_pad_asym_3d", (Supplier<Module>) () -> new ReflectionPad2d(1, 2, 0, 3), true),
                Arguments.of("instancenorm_track_train", (Supplier<Module>) () -> new InstanceNorm2d(3, 1e-5, 0.1, true, true), true),
                Arguments.of("instancenorm_track_eval", (Supplier<Module>) () -> new InstanceNorm2d(3, 1e-5, 0.1, true, true), false),
                Arguments.of("instancenorm_track_momentum_noaffine",
                        (Supplier<Module>) () -> new InstanceNorm2d(2, 1e-5, 0.3, false, true), true),
                Arguments.of("equal_linear", (Supplier<Module>) () -> new EqualLinear(5, 3, true, 0.3, 1), true),
                Arguments.of("equal_linear_lrmul", (Supplier<Module>) () -> new EqualLinear(6, 4, true, 0, 0.01), true),
                Arguments.of("equal_conv2d", (Supplier<Module>) () -> new EqualConv2d(3, 4, 3, 2, 1, true), true),
                Arguments.of("equal_conv2d_nobias", (Supplier<Module>) () -> new EqualConv2d(2, 3, 1, 1, 0, false), true),
                Arguments.of("mapping_train", (Supplier<Module>) () -> new MappingNetwork(6, 5, 3, 0.01, 0.995), true),
                Arguments.of("mapping_eval", (Supplier<Module>) () -> new MappingNetwork(6, 5, 3, 0.01, 0.995), false),
                Arguments.of("minibatch_stddev_g2_c2", (Supplier<Module>) () -> new MinibatchStdDev(2, 2), true),
                Arguments.of("minibatch_stddev_small_batch", (Supplier<Module>) () -> new MinibatchStdDev(4, 1), true));
    }

    /** A layer with a second input: the fixture's name, the layer, the second input's name and the layer's forward. */
    private record TwoInput(String name, Supplier<Module> make, String other, BiFunction<Module, Tensor[], Tensor> forward) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TwoInput> twoInputLayers() {
        return Stream.of(
                new TwoInput("modulated_conv_demod", () -> new ModulatedConv2d(3, 4, 3, 5, true), "style",
                        (m, x) -> ((ModulatedConv2d) m).forward(x[0], x[1])),
                new TwoInput("modulated_conv_nodemod_1x1", () -> new ModulatedConv2d(4, 2, 1, 3, false), "style",
                        (m, x) -> ((ModulatedConv2d) m).forward(x[0], x[1])),
                new TwoInput("noise_injection", () -> new NoiseInjection(3), "noise",
                        (m, x) -> ((NoiseInjection) m).forward(x[0], x[1])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoInputLayers")
    void twoInputLayerMatchesPyTorch(TwoInput c) {
        Map<String, Tensor> fx = Fixtures.load("stylecycle/" + c.name());
        Module m = c.make().get();
        m.loadStateDict(Fixtures.withPrefix(fx, "state."), true);
        Tensor x = fx.get("input").clone().requiresGrad(true);
        Tensor other = fx.get(c.other()).clone().requiresGrad(true);
        Tensor y = c.forward().apply(m, new Tensor[] {x, other});
        assertClose(c.name() + " output", fx.get("output"), y, NnParityTest.TOL);
        y.backward(fx.get("grad_output"));
        assertClose(c.name() + " grad_input", fx.get("grad_input"), x.grad(), NnParityTest.TOL);
        assertClose(c.name() + " grad_" + c.other(), fx.get("grad_" + c.other()), other.grad(), NnParityTest.TOL);
        Map<String, Tensor> params = m.namedParameters();
        Map<String, Tensor> grads = Fixtures.withPrefix(fx, "grad.");
        assertEquals(params.keySet(), grads.keySet());
        grads.forEach((k, g) -> assertClose(c.name() + " grad of " + k, g, params.get(k).grad(), NnParityTest.TOL));
    }

    @Test
    void truncationMatchesPyTorch() {
        Map<String, Tensor> fx = Fixtures.load("stylecycle/truncation");
        MappingNetwork mapping = new MappingNetwork(6, 5, 1, 0.01, 0.995);
        mapping.wAvg().copyFrom(fx.get("w_avg"));
        assertClose("truncated w", fx.get("output"), mapping.truncate(fx.get("w"), fx.get("psi").item()), NnParityTest.TOL);
        assertSame(fx.get("w"), mapping.truncate(fx.get("w"), 1));
    }

    @Test
    void modulatedConvolutionNeedsTheLatent() {
        ModulatedConv2d conv = new ModulatedConv2d(2, 3, 3, 4, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.randn(1, 2, 4, 4)));
        assertTrue(e.getMessage().contains("forward(x, w)"), e.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> F.modulatedConv2d(Tensor.randn(2, 2, 4, 4), Tensor.randn(3, 2, 3, 3), Tensor.randn(1, 2), true));
        assertTrue(shapes.getMessage().contains("modulatedConv2d"), shapes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModulatedConv2d(2, 3, 2, 4, true));
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> F.minibatchStdDev(Tensor.randn(6, 2, 2, 2), 4, 1));
        assertTrue(batch.getMessage().contains("group size 4"), batch.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layerMatchesPyTorch(String name, Supplier<Module> factory, boolean train) {
        new NnParityTest().layerMatchesPyTorch("stylecycle/" + name, factory, train);
    }

    @Test
    void reflectionPadRejectsPaddingAsLargeAsTheDim() {
        ReflectionPad2d pad = new ReflectionPad2d(3);
        RuntimeException e = assertThrows(RuntimeException.class, () -> pad.forward(Tensor.randn(1, 1, 3, 8)));
        assertTrue(e.getMessage().contains("pad"), e.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> new ReflectionPad2d(1, -1, 0, 0));
        assertTrue(neg.getMessage().contains("ReflectionPad2d"), neg.getMessage());
        assertTrue(new ReflectionPad2d(1, 2, 0, 3).toString().startsWith("ReflectionPad2d((1, 2, 0, 3))"));
    }

    @Test
    void instanceNormWithoutInputStatisticsNeedsRunningOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.instanceNorm(Tensor.randn(2, 3, 4, 4), null, null, null, null, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("instanceNorm") && e.getMessage().contains("running_mean"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> F.instanceNorm(Tensor.randn(2, 3, 4, 4), Tensor.zeros(2), Tensor.ones(2), null, null, true, 0.1, 1e-5));
        assertTrue(shape.getMessage().contains("[3]"), shape.getMessage());
    }

    @Test
    void instanceNormEvalWithoutTrackingStillUsesInputStatistics() {
        InstanceNorm2d norm = new InstanceNorm2d(2);
        norm.eval();
        Tensor y = norm.forward(Tensor.randn(3, 2, 4, 4).mul(5).add(3));
        assertEquals(0, y.mean(new int[] {2, 3}, false).abs().max().item(), 1e-5);
        assertEquals(0, norm.stateDict().size());
    }
}
