package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static dev.kasane.nn.TestTensors.rnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bicubic and antialiased interpolation: outputs and input gradients against PyTorch 1.13 (fixtures from
 * src/test/python/gen_resampling_fixtures.py, float32; tolerance {@code |a - e| <= 2e-5 (1 + |e|)}), gradients
 * against central differences, and argument checks.
 */
class ResamplingTest {
    private static final InterpolationMode BICUBIC = InterpolationMode.BICUBIC;
    private static final InterpolationMode BILINEAR = InterpolationMode.BILINEAR;

    private static int[] p(int... v) {
        return v;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                of("upsample_bicubic_x2", Upsample.scale(2, BICUBIC, false)::forward),
                of("upsample_bicubic_align", Upsample.size(5, 7, BICUBIC, true)::forward),
                of("upsample_bicubic_down", Upsample.size(3, 2, BICUBIC, false)::forward),
                of("upsample_bicubic_frac", x -> F.interpolate(x, new double[] {1.5, 2.25}, BICUBIC, false)),
                of("interp_bilinear_aa_down", x -> F.interpolate(x, p(3, 4), BILINEAR, false, true)),
                of("interp_bilinear_aa_align", x -> F.interpolate(x, p(4, 3), BILINEAR, true, true)),
                of("interp_bicubic_aa_down", x -> F.interpolate(x, new double[] {1 / 3.0}, BICUBIC, false, true)),
                of("interp_bicubic_aa_down_size", x -> F.interpolate(x, p(5, 4), BICUBIC, false, true)),
                of("interp_bicubic_aa_align", x -> F.interpolate(x, p(4, 5), BICUBIC, true, true)),
                of("interp_bicubic_aa_up", x -> F.interpolate(x, p(7, 9), BICUBIC, false, true)),
                of("interp_bicubic_mixed", x -> F.interpolate(x, p(13, 2), BICUBIC, false)));
    }

    private static Arguments of(String name, UnaryOperator<Tensor> f) {
        return Arguments.of(name, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, UnaryOperator<Tensor> f) {
        Map<String, Tensor> fx = Fixtures.load(name);
        Tensor x = fx.get("input").clone().requiresGrad(true);
        Tensor y = f.apply(x);
        assertClose(name + " output", fx.get("output"), y, NnParityTest.TOL);
        y.backward(fx.get("grad_output"));
        assertClose(name + " grad_input", fx.get("grad_input"), x.grad(), NnParityTest.TOL);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Generator.seedGlobal(7);
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], p(7, 9), BICUBIC, false), rnd(1, 2, 3, 4)));
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], p(5, 3), BICUBIC, true), rnd(1, 2, 3, 4)));
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], p(3, 2), BICUBIC, false, true), rnd(2, 1, 8, 7)));
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], new double[] {0.4}, BILINEAR, false, true), rnd(1, 2, 6, 8)));
        assertTrue(GradCheck.checkSecondOrder(x -> F.interpolate(x[0], p(5, 6), BICUBIC, false).square(), rnd(1, 1, 3, 4)));
    }

    @Test
    void bicubicKeepsConstantsAndLinearRampsInside() {
        Tensor ones = Tensor.ones(1, 1, 4, 6);
        Tensor up = F.interpolate(ones, new double[] {3}, BICUBIC, false);
        assertArrayEquals(p(1, 1, 12, 18), up.shape());
        for (float v : up.toFloatArray()) {
            assertEquals(1f, v, 1e-6f);          // the cubic weights sum to 1
        }
        // with alignCorners the corners are copied exactly
        Tensor x = Tensor.of(new float[] {0, 1, 4, 9, 16, 25}, 1, 1, 2, 3);
        Tensor y = F.interpolate(x, p(3, 5), BICUBIC, true);
        assertEquals(0f, (float) y.get(0, 0, 0, 0), 0f);
        assertEquals(25f, (float) y.get(0, 0, 2, 4), 0f);
    }

    @Test
    void antialiasedDownscaleAveragesEveryPixel() {
        // a 1-pixel checkerboard shrunk 3x: plain interpolation samples single pixels (0 or 1), the widened
        // antialiasing filter averages them to about 0.5 (exactly 0.5 would need an even filter support)
        float[] v = new float[9 * 9];
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                v[i * 9 + j] = (i + j) % 2;
            }
        }
        Tensor board = Tensor.of(v, 1, 1, 9, 9);
        for (InterpolationMode mode : new InterpolationMode[] {BILINEAR, BICUBIC}) {
            for (float a : F.interpolate(board, p(3, 3), mode, false, false).toFloatArray()) {
                assertTrue(Math.abs(a) < 1e-6 || Math.abs(a - 1) < 1e-6, mode + " without antialiasing: " + a);
            }
            for (float a : F.interpolate(board, p(3, 3), mode, false, true).toFloatArray()) {
                assertEquals(0.5f, a, 0.1f, mode + " antialiased");
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.interpolate(x, p(2, 2), InterpolationMode.NEAREST, false, true));
        assertTrue(e.getMessage().startsWith("interpolate: alignCorners and antialias apply only to bilinear and bicubic"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.interpolate(Tensor.zeros(4, 4), p(2, 2), BICUBIC, false));
        assertTrue(e.getMessage().contains("must be 4-D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.interpolate(Tensor.zeros(DType.I64, 1, 1, 4, 4), p(2, 2), BICUBIC, false));
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.interpolate(x, new double[] {0.1}, BICUBIC, false, true));
        assertTrue(e.getMessage().contains("output size must be positive"), e.getMessage());
    }
}
