package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pruning against {@code torch.nn.utils.prune} (fixture prune_masks of gen_compression_fixtures.py: masks must be
 * identical), its reparametrisation ({@code weight_orig}, {@code weight_mask}, {@code remove}) and channel shrinking.
 */
class PruneTest {
    private static final Map<String, Tensor> F = Fixtures.load("prune_masks");

    private static Linear linear(String key) {
        Linear l = new Linear(8, 6);
        l.weight().detach().copyFrom(F.get("state." + key + ".weight"));
        return l;
    }

    private static Conv2d conv(String key) {
        Conv2d c = new Conv2d(3, 5, 3);
        c.weight().detach().copyFrom(F.get("state." + key + ".weight"));
        return c;
    }

    private static void assertMask(String name, Module m) {
        assertArrayEquals(F.get(name).toFloatArray(), m.namedBuffers().get("weight_mask").toFloatArray(), name);
    }

    @Test
    void iterativeL1UnstructuredMatchesPyTorchAndRemoveMakesItPermanent() {
        Linear lin = linear("linear");
        Prune.l1Unstructured(lin, "weight", 0.3);
        assertMask("l1_first", lin);
        assertEquals(List.of("bias", "weight_orig", "weight_mask"), List.copyOf(lin.stateDict().keySet()));
        assertEquals(List.of("bias", "weight_orig"), List.copyOf(lin.namedParameters().keySet()));
        Prune.l1Unstructured(lin, "weight", 0.5);
        assertMask("l1_second", lin);
        assertEquals(Math.rint(0.3 * 48) + Math.rint(0.5 * (48 - Math.rint(0.3 * 48))),
                Prune.sparsity(lin, "weight") * 48, 1e-9);
        Prune.remove(lin, "weight");
        assertFalse(Prune.isPruned(lin, "weight"));
        assertEquals(List.of("bias", "weight"), List.copyOf(lin.stateDict().keySet()));
        assertArrayEquals(F.get("removed_weight").toFloatArray(), lin.weight().toFloatArray());
        assertTrue(lin.weight().requiresGrad());
    }

    @Test
    void lnStructuredMatchesPyTorchAlongBothDims() {
        Conv2d c = conv("conv");
        Prune.lnStructured(c, "weight", 0.4, 2, 0);
        assertMask("ln2_dim0", c);
        Prune.lnStructured(c, "weight", 0.5, 1, 1);
        assertMask("ln1_dim1", c);
    }

    @Test
    void globalUnstructuredMatchesPyTorch() {
        Linear lin = linear("linear2");
        Conv2d c = conv("conv2");
        Prune.globalUnstructured(List.of(new Prune.Target(lin, "weight"), new Prune.Target(c, "weight")), 0.45);
        assertMask("global_linear", lin);
        assertMask("global_conv", c);
    }

    @Test
    void prunedWeightIsOrigTimesMaskAndTrainsOnlyUnprunedEntries() {
        Generator.seedGlobal(1);
        Linear lin = new Linear(5, 4);
        Prune.randomUnstructured(lin, "weight", 0.5, new Generator(3));
        assertEquals(0.5, Prune.sparsity(lin, "weight"), 1e-9);
        Tensor x = Tensor.randn(3, 5);
        lin.forward(x).sum().backward();
        Tensor orig = lin.namedParameters().get("weight_orig");
        float[] grad = orig.grad().toFloatArray();
        float[] mask = lin.namedBuffers().get("weight_mask").toFloatArray();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(mask[i] == 0, grad[i] == 0, "gradient of entry " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> Prune.l1Unstructured(lin, "weight", 1.5));
        assertThrows(IllegalArgumentException.class, () -> Prune.remove(new Linear(2, 2), "weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(lin, "nope", 0.1));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void pruningAndNormalizationsShareOneReparametrizationOfTheWeight() {
        Linear pruned = new Linear(4, 3);
        Prune.l1Unstructured(pruned, "weight", 0.5);
        assertEquals("Prune", pruned.weightReparametrization());
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class, () -> SpectralNorm.apply(pruned));
        assertTrue(norm.getMessage().contains("already reparametrized by Prune"), norm.getMessage());
        IllegalArgumentException reset = assertThrows(IllegalArgumentException.class, pruned::resetParameters);
        assertTrue(reset.getMessage().contains("no parameter 'weight'"), reset.getMessage());
        assertEquals(List.of("bias", "weight_orig"), List.copyOf(pruned.namedParameters().keySet()));
        Prune.remove(pruned, "weight");
        assertEquals(null, pruned.weightReparametrization());

        Linear normalized = WeightNorm.apply(new Linear(4, 3), 0);
        IllegalArgumentException weightNorm = assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(normalized, "weight", 0.5));
        assertTrue(weightNorm.getMessage().contains("already reparametrized by WeightNorm"), weightNorm.getMessage());
        assertEquals(List.of("bias", "weight_g", "weight_v"), List.copyOf(normalized.namedParameters().keySet()));
        // globalUnstructured checks every target before it prunes one: the spectral one fails, the plain one stays
        Linear plain = new Linear(4, 3);
        Linear spectral = SpectralNorm.apply(new Linear(4, 3));
        IllegalArgumentException global = assertThrows(IllegalArgumentException.class, () -> Prune.globalUnstructured(
                List.of(new Prune.Target(plain, "weight"), new Prune.Target(spectral, "weight")), 0.5));
        assertTrue(global.getMessage().contains("already reparametrized by SpectralNorm"), global.getMessage());
        assertFalse(Prune.isPruned(plain, "weight"));
        assertEquals(List.of("weight", "bias"), List.copyOf(plain.namedParameters().keySet()));
    }

    @Test
    void shrinkingRemovesDeadChannelsAndKeepsTheOutput() {
        Generator.seedGlobal(2);
        // no conv bias and a fresh batch norm (0 stays 0): the dead channels contribute exactly nothing
        Sequential model = new Sequential(new Conv2d(2, 6, 3, 1, 1, false), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 4, 3, 1, 1, false), new ReLU(), new Flatten(), new Linear(4 * 2 * 2, 3));
        model.eval();
        Prune.lnStructured(model.get(0), "weight", 0.5, 1, 0);
        Prune.lnStructured(model.get(4), "weight", 0.25, 2, 0);
        Tensor x = Tensor.randn(2, 2, 4, 4);
        Tensor before = model.forward(x).detach();
        assertTrue(Prune.canShrink(model, 0) && Prune.canShrink(model, 4));
        assertFalse(Prune.canShrink(model, 1), "not a convolution");
        assertEquals(4, Prune.shrinkChannels(model));
        assertArrayEquals(new int[] {3, 2, 3, 3}, ((Conv2d) model.get(0)).weight().shape());
        assertEquals(3, ((BatchNorm2d) model.get(1)).numFeatures());
        assertArrayEquals(new int[] {3, 3, 3, 3}, ((Conv2d) model.get(4)).weight().shape());
        assertArrayEquals(new int[] {3, 3 * 2 * 2}, ((Linear) model.get(7)).weight().shape());
        Fixtures.assertClose("shrunk model", before, model.forward(x).detach(), 1e-6);
        Sequential blocked = new Sequential(pruned(new Conv2d(1, 2, 1)), new GroupNorm(1, 2), new Conv2d(2, 1, 1));
        assertFalse(Prune.canShrink(blocked, 0), "a group norm mixes the channels");
        assertThrows(IllegalArgumentException.class, () -> Prune.shrinkChannels(blocked));
    }

    private static Conv2d pruned(Conv2d c) {
        Prune.lnStructured(c, "weight", 0.5, 1, 0);
        return c;
    }
}
