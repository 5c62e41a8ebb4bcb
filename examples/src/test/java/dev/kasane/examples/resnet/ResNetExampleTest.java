package dev.kasane.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.io.Safetensors;
import dev.kasane.vision.models.ImageClassifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end smoke tests of the resnet example: training, then transfer learning of the head alone; another zoo
 * classifier fine-tuned from 1000-class weights, frozen or with its own backbone learning rate.
 */
class ResNetExampleTest {
    private static ResNetExample.Result run(Path out, String data, ByteArrayOutputStream log, String... extra)
            throws IOException {
        return TestData.runOnFashion(ResNetExample.parser(), ResNetExample::run, data, log, List.of("--out",
                out.toString(), "--limit", "32", "--test-limit", "16", "--batch-size", "16", "--eval-batch-size", "16",
                "--log-every", "1"), extra);
    }

    @Test
    void trainsThenFineTunesOnlyTheHead(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path a = tmp.resolve("train");
        ResNetExample.Result r = run(a, data, new ByteArrayOutputStream(), "--epochs", "2");
        double[] loss = r.history().column("train_loss");
        assertTrue(loss[1] < loss[0], "train loss did not decrease: " + Arrays.toString(loss));
        assertEquals(r.totalParameters(), r.trainableParameters());
        assertTrue(r.totalParameters() > 11_000_000, "ResNet-18 has ~11.2M parameters, got " + r.totalParameters());
        String[] outputs = {"curves.png", "metrics.csv", "confusion_matrix.txt", "confusion_matrix.png",
            Checkpoint.FILE_NAME, ResNetExample.WEIGHTS_FILE};
        TestData.assertNonEmptyFiles(a, outputs);
        // killed just after the last checkpoint was renamed into place: --resume writes every output of the run
        Path killed = tmp.resolve("killed");
        TestData.keepOnlyCheckpoints(a, killed);
        assertEquals(2, run(killed, data, new ByteArrayOutputStream(), "--epochs", "2", "--resume").history().size());
        TestData.assertSameFiles(a, killed, outputs);

        Path b = tmp.resolve("finetune");
        var log = new ByteArrayOutputStream();
        ResNetExample.Result ft = run(b, data, log, "--epochs", "1", "--optimizer", "sgd", "--lr", "0.01", "--finetune",
                a.resolve(ResNetExample.WEIGHTS_FILE).toString());
        assertEquals(512 * 10 + 10, ft.trainableParameters());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("5,130 trainable"), log.toString(StandardCharsets.UTF_8));
        assertTrue(Double.isFinite(ft.history().last("train_loss")));
        Map<String, Tensor> before = Safetensors.load(a.resolve(ResNetExample.WEIGHTS_FILE));
        Map<String, Tensor> after = Safetensors.load(b.resolve(ResNetExample.WEIGHTS_FILE));
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            boolean same = Arrays.equals(before.get(k).toDoubleArray(), after.get(k).toDoubleArray());
            if (k.startsWith("fc.")) {
                assertFalse(same, k + " should have been re-initialised and trained");
            } else {
                assertTrue(same, k + " is frozen (weights and batch-norm statistics) but changed");
            }
        }
    }

    @Test
    void fineTunesAnotherZooClassifierFromThousandClassWeights(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path weights = tmp.resolve("mobilenet_v2_imagenet.safetensors");     // stands in for torchvision's weights
        Safetensors.save(ImageClassifier.create("mobilenet_v2", 1000).stateDict(), weights);
        Map<String, Tensor> pretrained = Safetensors.load(weights);

        Path frozen = tmp.resolve("frozen");
        var log = new ByteArrayOutputStream();
        ResNetExample.Result r = run(frozen, data, log, "--model", "mobilenet_v2", "--finetune", weights.toString());
        assertEquals(1280 * 10 + 10, r.trainableParameters());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("mobilenet_v2: 2,236,682 parameters, 12,810 trainable"),
                log.toString(StandardCharsets.UTF_8));
        Map<String, Tensor> after = Safetensors.load(frozen.resolve("mobilenet_v2.safetensors"));
        assertArrayEquals(new int[] {10, 1280}, after.get("classifier.1.weight").shape());
        for (String k : after.keySet()) {
            if (!k.startsWith("classifier.")) {
                assertTrue(Arrays.equals(pretrained.get(k).toDoubleArray(), after.get(k).toDoubleArray()), k + " is frozen");
            }
        }

        Path tuned = tmp.resolve("tuned");
        r = run(tuned, data, new ByteArrayOutputStream(), "--model", "mobilenet_v2", "--finetune", weights.toString(),
                "--optimizer", "sgd", "--lr", "0.01", "--backbone-lr", "0.001");
        assertEquals(r.totalParameters(), r.trainableParameters());
        Map<String, Tensor> trained = Safetensors.load(tuned.resolve("mobilenet_v2.safetensors"));
        assertFalse(Arrays.equals(pretrained.get("features.0.0.weight").toDoubleArray(),
                trained.get("features.0.0.weight").toDoubleArray()), "the backbone trains at --backbone-lr");

        UsageException e = assertThrows(UsageException.class, () -> run(tmp.resolve("x"), data,
                new ByteArrayOutputStream(), "--model", "mobilenet_v3"));
        assertTrue(e.getMessage().contains("--model must be one of [alexnet"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(tmp.resolve("y"), data, new ByteArrayOutputStream(),
                "--backbone-lr", "0.001"));
        assertTrue(e.getMessage().contains("--backbone-lr needs --finetune"), e.getMessage());
    }
}
