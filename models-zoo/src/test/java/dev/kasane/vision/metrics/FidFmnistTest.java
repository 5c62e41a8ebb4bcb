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
    void evaluateGivesTheThreeScoresFromOnePass() {
        Tensor a = images(2, 30);
        FidFmnist.Network net = new FidFmnist.Network();
        Tensor p = FidFmnist.of(net).probabilities(a);
        assertArrayEquals(new int[] {30, 10}, p.shape());
        assertEquals(30, p.sum().item(), 1e-5, "rows of probabilities sum to 1 (an F32 softmax: 1e-5)");
        // the softmax of the network's own forward in eval mode (probabilities() takes the logits of its features)
        Tensor direct = net.forward(a).softmax(1).toType(DType.F64);
        assertTrue(p.sub(direct).abs().max().item() < 1e-6, "probabilities via the features equal forward's softmax (1e-6)");

        FidFmnist fid = FidFmnist.pretrained();
        FidFmnist.Evaluation same = fid.evaluate(a, a);
        assertEquals(0, same.fid(), 1e-9 * fid.features(a).var(new int[] {0}, 1, false).sum().item());
        assertEquals(1, same.precisionRecall().precision(), 0, "a set against itself");
        assertEquals(1, same.precisionRecall().recall(), 0);
        InceptionScore.Result is = fid.inceptionScore(a);
        assertEquals(is.mean(), same.isFmnist().mean(), 1e-12);
        assertTrue(is.mean() >= 1 && is.mean() <= 10, "IS-FMNIST lies in [1, 10]: " + is.mean());

        // noise against blank images: far apart, nothing of one inside the other's manifold
        FidFmnist.Evaluation apart = fid.evaluate(a, Tensor.full(-1, 30, 1, 28, 28).add(images(3, 30).mul(0.01)));
        assertTrue(apart.fid() > same.fid() + 1, "noise vs near-blank: " + apart.fid());
        assertTrue(apart.precisionRecall().precision() < 0.5, "precision " + apart.precisionRecall().precision());
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
