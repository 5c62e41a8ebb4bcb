package dev.kasane.vision.models;

import static dev.kasane.vision.models.PytorchReference.assertMatches;
import static dev.kasane.vision.models.PytorchReference.load;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CycleGAN's networks against the PyTorch definitions of pytorch-CycleGAN-and-pix2pix (fixtures from
 * src/test/python/gen_cyclegan_fixtures.py): output, input gradient and every parameter gradient of
 * {@code sum(output * r)}. Tolerance: 1e-4 of the largest magnitude of the reference tensor; for parameter
 * gradients at least 1e-4 of the model's largest gradient, because a bias followed by instance norm has a gradient
 * that is zero in exact arithmetic (both sides are rounding noise there). And the image pool's rules.
 */
class CycleGanTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("resnet_g_ngf4_b2", (Supplier<Module>) () -> CycleGAN.resnetGenerator(1, 2, 4, 2)),
                Arguments.of("patch_d_ndf4_l3", (Supplier<Module>) () -> CycleGAN.patchDiscriminator(2, 4, 3)),
                Arguments.of("patch_d_ndf3_l2", (Supplier<Module>) () -> CycleGAN.patchDiscriminator(1, 3, 2)),
                Arguments.of("patch_d_ndf2_l4", (Supplier<Module>) () -> CycleGAN.patchDiscriminator(1, 2, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPytorch(String name, Supplier<Module> make) throws IOException {
        Module model = make.get();
        assertMatches(name, load("cyclegan_" + name + ".safetensors", model), model);
    }

    @Test
    void generatorKeepsTheSizeAndDiscriminatorSeesPatches() {
        Module g = CycleGAN.resnetGenerator(1, 1, 2, 1);
        assertArrayEquals(new int[] {2, 1, 28, 28}, g.forward(Tensor.randn(2, 1, 28, 28)).shape());
        assertTrue(g.namedParameters().containsKey("model.10.conv_block.1.weight"), g.namedParameters().keySet().toString());
        Module d = CycleGAN.patchDiscriminator(1, 2, 2);
        assertArrayEquals(new int[] {2, 1, 5, 5}, d.forward(Tensor.randn(2, 1, 28, 28)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CycleGAN.patchDiscriminator(1, 0, 3));
        assertTrue(e.getMessage().contains("patchDiscriminator"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CycleGAN.resnetGenerator(1, 1, 4, -1));
    }

    @Test
    void imagePoolFillsThenSwapsAboutHalf() {
        ImagePool pool = new ImagePool(4, new Generator(3));
        Tensor first = Tensor.arange(4).reshape(4, 1).toType(dev.kasane.tensor.DType.F32);
        Tensor out = pool.query(first.requiresGrad(true));
        assertArrayEquals(new double[] {0, 1, 2, 3}, out.toDoubleArray(), 0);
        assertFalse(out.requiresGrad(), "pool output is detached");
        assertEquals(4, pool.size());
        List<Double> stored = new ArrayList<>(List.of(0.0, 1.0, 2.0, 3.0));
        int fromHistory = 0;
        int queries = 400;
        for (int i = 0; i < queries; i++) {
            double v = 100 + i;
            double got = pool.query(Tensor.full(v, 1, 1)).item();
            if (got != v) {
                assertTrue(stored.remove(got), "a returned old image was in the pool: " + got);
                stored.add(v);
                fromHistory++;
            }
        }
        assertEquals(4, pool.size());
        // swaps are Binomial(400, 1/2): mean 200, standard deviation 10; 5 deviations either side
        assertTrue(Math.abs(fromHistory - 200) <= 50, "swaps " + fromHistory + " of " + queries);
    }

    @Test
    void imagePoolIsReproducibleAndSizeZeroPassesThrough() {
        Tensor batch = Tensor.randn(6, 1, 2, 2);
        double[] a = null;
        for (int run = 0; run < 2; run++) {
            ImagePool pool = new ImagePool(3, new Generator(11));
            pool.query(Tensor.randn(3, 1, 2, 2));
            double[] got = pool.query(batch).toDoubleArray();
            if (a != null) {
                assertArrayEquals(a, got, 0);
            }
            a = got;
        }
        ImagePool none = new ImagePool(0, new Generator(1));
        assertSame(batch, none.query(batch));
        ImagePool pool = new ImagePool(2, new Generator(1));
        pool.query(Tensor.randn(1, 1, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.query(Tensor.randn(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("ImagePool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImagePool(-1, new Generator(1)));
    }
}
