package dev.kasane.vision.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped FID-FMNIST network: it loads, gives 64 non-negative features, and the distance behaves. */
class FidFmnistTest {
    private static Tensor images(long seed, int n) {
        return Tensor.uniform(new Generator(seed), -1, 1, DType.F32, dev.kasane.tensor.Device.CPU, n, 1, 28, 28);
    }

    @Test
    void shippedWeightsGiveFeaturesAndADistanceThatIsZeroOnItself() {
        FidFmnist fid = FidFmnist.pretrained();
        Tensor a = images(1, 20);
        Tensor f = fid.features(a);
        assertArrayEquals(new int[] {20, FidFmnist.FEATURES}, f.shape());
        assertEquals(DType.F64, f.dtype());
        assertTrue(f.min().item() >= 0, "features follow a ReLU");
        // 20 samples of 64 features: singular covariances; tolerance 1e-9 of the total variance
        double variance = f.var(new int[] {0}, 1, false).sum().item();
        assertEquals(0, fid.distance(a, a), 1e-9 * variance, "a set against itself");
        // noise against the same noise blurred into blobs: a clearly positive distance
        Tensor blurred = dev.kasane.nn.functional.F.avgPool2d(a, new int[] {3}, new int[] {1}, new int[] {1}, false, true);
        assertTrue(fid.distance(a, blurred) > 1e-3, "noise vs blurred noise");
    }

    @Test
    void networkHasItsDocumentedKeysAndRejectsOtherImages() {
        FidFmnist.Network n = new FidFmnist.Network();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked", "features.4.weight",
                "features.4.bias", "features.5.weight", "features.5.bias", "features.5.running_mean", "features.5.running_var",
                "features.5.num_batches_tracked", "features.9.weight", "features.9.bias", "classifier.weight", "classifier.bias"),
                List.copyOf(n.stateDict().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.features(Tensor.zeros(2, 3, 28, 28)));
        assertTrue(e.getMessage().contains("expected Fashion-MNIST images [N, 1, 28, 28] in [-1, 1]"), e.getMessage());
    }

    @Test
    void loadReportsWrongWeights(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.safetensors");
        Safetensors.save(java.util.Map.of("w", Tensor.zeros(2)), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FidFmnist.load(file));
        assertTrue(e.getMessage().contains("missing keys"), e.getMessage());
        assertTrue(Files.exists(file));
    }
}
