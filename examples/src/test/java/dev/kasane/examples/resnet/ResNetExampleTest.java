package dev.kasane.examples.resnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import dev.kasane.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke test of the resnet example: training, then transfer learning of the head alone. */
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
        for (String f : outputs) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
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
}
