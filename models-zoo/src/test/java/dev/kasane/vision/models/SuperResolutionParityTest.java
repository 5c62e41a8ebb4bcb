package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SRCNN, ESPCN and EDSR against the PyTorch definitions of src/test/python/gen_superres_fixtures.py, checked as
 * {@link ModelParityTest} checks every zoo model (outputs, input gradient, parameter gradients; tolerance 1e-4
 * relative to the largest reference magnitude). The weights are PyTorch's, loaded strict, so the state-dict keys
 * and shapes are checked too.
 */
class SuperResolutionParityTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("srcnn", (Supplier<Module>) () -> new SRCNN(1)),
                Arguments.of("espcn_x3", (Supplier<Module>) () -> new ESPCN(3, 1)),
                Arguments.of("edsr_x2", (Supplier<Module>) () -> new EDSR(2, 1, 8, 2, 0.1)),
                Arguments.of("edsr_x3", (Supplier<Module>) () -> new EDSR(3, 3, 8, 2, 1.0)),
                Arguments.of("edsr_x4", (Supplier<Module>) () -> new EDSR(4, 1, 6, 1, 0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPytorch(String name, Supplier<Module> make) throws IOException {
        new ModelParityTest().matchesPytorch(name, make, true);
    }

    @Test
    void shapesAndSizes() {
        Tensor lr = Tensor.zeros(2, 1, 5, 7);
        assertArrayEquals(new int[] {2, 1, 15, 21}, new ESPCN(3, 1).forward(lr).shape());
        assertArrayEquals(new int[] {2, 1, 20, 28}, new EDSR(4, 1, 4, 1, 1).forward(lr).shape());
        assertArrayEquals(new int[] {2, 1, 5, 7}, new SRCNN(1).forward(lr).shape());
        // EDSR-baseline: 64 features, 16 blocks; its x2 has 1,369,859 parameters for RGB (as the authors' model
        // without the mean-shift layers)
        assertEquals(1_369_859, EDSR.baseline(2, 3).numParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EDSR(5, 1, 8, 1, 1));
        assertTrue(e.getMessage().contains("scale must be 3 or a power of 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SRCNN(1).forward(Tensor.zeros(1, 5, 7)));
        assertTrue(e.getMessage().contains("SRCNN"), e.getMessage());
    }
}
