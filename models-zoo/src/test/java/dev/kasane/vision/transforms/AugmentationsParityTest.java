package dev.kasane.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SimCLR augmentations on fixed parameters against torchvision 0.14's functional ops (fixture from
 * src/test/python/gen_augment_fixtures.py, float32 inputs in [0, 1]; tolerance {@code |a - e| <= 2e-6}).
 */
class AugmentationsParityTest {
    private static final double TOL = 2e-6;
    private static Map<String, Tensor> fx;

    @BeforeAll
    static void load() throws IOException {
        fx = Fixtures.load("augment.safetensors");
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        b.add(of("resized_crop_up", "rgb", x -> Augmentations.resizedCrop(x, 2, 3, 5, 6, 9, 11)));
        b.add(of("resized_crop_down", "gray", x -> Augmentations.resizedCrop(x, 1, 0, 8, 11, 4, 5)));
        b.add(of("resized_crop_batch", "batch", x -> Augmentations.resizedCrop(x, 0, 1, 4, 6, 6, 7)));
        for (String in : new String[] {"rgb", "gray", "batch"}) {
            b.add(of("brightness_" + in, in, x -> ColorOps.adjustBrightness(x, 1.3)));
            b.add(of("brightness_dark_" + in, in, x -> ColorOps.adjustBrightness(x, 0.45)));
            b.add(of("contrast_" + in, in, x -> ColorOps.adjustContrast(x, 0.6)));
            b.add(of("contrast_high_" + in, in, x -> ColorOps.adjustContrast(x, 1.7)));
        }
        for (String in : new String[] {"rgb", "batch"}) {
            b.add(of("saturation_" + in, in, x -> ColorOps.adjustSaturation(x, 0.3)));
            b.add(of("saturation_high_" + in, in, x -> ColorOps.adjustSaturation(x, 1.8)));
            b.add(of("hue_" + in, in, x -> ColorOps.adjustHue(x, 0.23)));
            b.add(of("hue_neg_" + in, in, x -> ColorOps.adjustHue(x, -0.41)));
            b.add(of("grayscale1_" + in, in, x -> ColorOps.rgbToGrayscale(x, 1)));
            b.add(of("grayscale3_" + in, in, x -> ColorOps.rgbToGrayscale(x, 3)));
        }
        b.add(of("jitter_rgb", "rgb", x -> ColorOps.adjustContrast(ColorOps.adjustSaturation(
                ColorOps.adjustBrightness(ColorOps.adjustHue(x, 0.08), 0.7), 1.4), 1.2)));
        b.add(of("blur_rgb", "rgb", x -> Augmentations.gaussianBlur(x, 3, 3, 0.7, 0.7)));
        b.add(of("blur_rgb_aniso", "rgb", x -> Augmentations.gaussianBlur(x, 5, 3, 1.2, 0.5)));
        b.add(of("blur_gray", "gray", x -> Augmentations.gaussianBlur(x, 7, 7, 1.9, 1.9)));
        b.add(of("blur_batch", "batch", x -> Augmentations.gaussianBlur(x, 3, 5, 0.4, 1.1)));
        return b.build();
    }

    private static Arguments of(String name, String input, UnaryOperator<Tensor> op) {
        return Arguments.of(name, input, op);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorchvision(String name, String input, UnaryOperator<Tensor> op) {
        Tensor expected = fx.get(name);
        assertNotNull(expected, "fixture " + name);
        Tensor actual = op.apply(fx.get(input));
        assertArrayEquals(expected.shape(), actual.shape(), name + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= TOL)) {
                throw new AssertionError(name + ": element " + i + " is " + a[i] + ", torchvision gives " + e[i]
                        + " (tolerance " + TOL + ")");
            }
        }
    }
}
