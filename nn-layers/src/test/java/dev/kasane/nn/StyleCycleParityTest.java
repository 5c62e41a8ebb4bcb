package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
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
                        (Supplier<Module>) () -> new InstanceNorm2d(2, 1e-5, 0.3, false, true), true));
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
