package dev.kasane.vision.models;

import static dev.kasane.vision.models.PytorchReference.assertClose;
import static dev.kasane.vision.models.PytorchReference.assertMatches;
import static dev.kasane.vision.models.PytorchReference.assertParameterGradients;
import static dev.kasane.vision.models.PytorchReference.load;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The StyleGAN generator and discriminator against their PyTorch definitions (fixtures from
 * src/test/python/gen_stylegan_fixtures.py): outputs and the gradients of {@code sum(output * r)} for every
 * parameter (and the discriminator's input). Tolerance: 1e-4 of the largest magnitude of the reference tensor (for
 * parameter gradients, at least 1e-4 of the model's largest gradient). And style mixing, truncation and w_avg.
 */
class StyleGanTest {
    @Test
    void generatorMatchesPytorch() throws IOException {
        StyleGenerator g = new StyleGenerator(8, 6, 2, 1, 6, 5, 4);
        Map<String, Tensor> f = load("stylegan_g.safetensors", g);
        g.eval();
        List<Tensor> noise = new ArrayList<>();
        for (int k = 0; k < g.numNoises(); k++) {
            noise.add(f.get("noise." + k).to(Device.getDefault()));
        }
        Tensor ws = g.mix(g.styles(f.get("z1").to(Device.getDefault()), 0.7), g.styles(f.get("z2").to(Device.getDefault()), 0.7), 3);
        Tensor y = g.synthesis(ws, noise);
        assertClose("generator output", f.get("output"), y, 0);
        y.mul(f.get("r").to(y.device())).sum().backward();
        assertParameterGradients("generator", f, g);
    }

    @Test
    void discriminatorMatchesPytorch() throws IOException {
        StyleDiscriminator d = new StyleDiscriminator(1, 2, 6, 5, 4);
        assertMatches("discriminator", load("stylegan_d.safetensors", d), d);
    }

    @Test
    @SuppressWarnings("try")
    void styleMixingTakesEachLayersStyleFromOneSource() {
        Generator.seedGlobal(5);
        StyleGenerator g = new StyleGenerator(4, 3, 1, 1, 4, 3);
        assertEquals(4, g.numWs());
        assertEquals(3, g.numNoises());
        assertEquals(8, g.resolution());
        Tensor ws1 = g.styles(Tensor.randn(2, 4), 1);
        Tensor ws2 = g.styles(Tensor.randn(2, 4), 1);
        Tensor mixed = g.mix(ws1, ws2, 1);
        assertArrayEquals(ws1.select(1, 0).toFloatArray(), mixed.select(1, 0).toFloatArray(), 0f);
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(ws2.select(1, i).toFloatArray(), mixed.select(1, i).toFloatArray(), 0f);
        }
        assertSame(ws1, g.mix(ws1, ws2, 4));
        assertThrows(IllegalArgumentException.class, () -> g.mix(ws1, ws2, 5));
        // fixed noise makes the synthesis a function of the styles
        g.eval();
        try (var ng = Autograd.noGrad()) {
            Tensor a = g.synthesis(mixed, g.noise(2, new Generator(1)));
            Tensor b = g.synthesis(mixed, g.noise(2, new Generator(1)));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
            assertArrayEquals(new int[] {2, 1, 8, 8}, a.shape());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.synthesis(Tensor.randn(2, 3, 3), null));
        assertTrue(e.getMessage().contains("(N, 4, 3)"), e.getMessage());
    }

    @Test
    void truncationPullsTowardsTheTrackedMeanW() {
        Generator.seedGlobal(6);
        StyleGenerator g = new StyleGenerator(4, 3, 2, 1, 4);
        g.train();
        Tensor z = Tensor.randn(16, 4);
        Tensor w = g.mapping().forward(z);
        // one training forward: w_avg = 0.995 * 0 + 0.005 * mean(w)
        assertArrayEquals(w.detach().mean(0, false).mul(0.005).toFloatArray(), g.mapping().wAvg().toFloatArray(), 1e-6f);
        g.eval();
        Tensor avg = g.mapping().wAvg().clone();
        Tensor ws0 = g.styles(z, 0);
        for (int i = 0; i < z.size(0); i++) {
            assertArrayEquals(avg.toFloatArray(), ws0.select(0, i).select(0, 1).toFloatArray(), 1e-6f);
        }
        assertArrayEquals(avg.toFloatArray(), g.mapping().wAvg().toFloatArray(), 0f, "eval mode leaves w_avg alone");
        Tensor d = new StyleDiscriminator(1, 4, 4, 3).forward(Tensor.randn(4, 1, 8, 8));
        assertArrayEquals(new int[] {4, 1}, d.shape());
        assertThrows(IllegalArgumentException.class, () -> new StyleDiscriminator(1, 4, 4, 3).forward(Tensor.randn(4, 1, 16, 16)));
    }
}
