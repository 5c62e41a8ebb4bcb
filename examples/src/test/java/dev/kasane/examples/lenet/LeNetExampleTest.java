package dev.kasane.examples.lenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the lenet example on a few hundred images (seconds). */
class LeNetExampleTest {
    private static LeNetExample.Result run(Path out, String data, ByteArrayOutputStream log, String... extra)
            throws IOException {
        return TestData.runOnFashion(LeNetExample.parser(), LeNetExample::run, data, log, List.of("--out", out.toString(),
                "--limit", "512", "--test-limit", "500", "--batch-size", "32", "--log-every", "8"), extra);
    }

    @Test
    void trainsWritesOutputsAndResumesToTheSameWeights(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path a = tmp.resolve("a");
        var log = new ByteArrayOutputStream();
        LeNetExample.Result r = run(a, data, log, "--epochs", "2");
        assertEquals(2, r.epochsRun());
        double[] loss = r.history().column("train_loss");
        assertEquals(2, loss.length);
        assertTrue(loss[1] < loss[0], "train loss did not decrease: " + loss[0] + " -> " + loss[1]);
        double[] testLoss = r.history().column("test_loss");
        assertTrue(testLoss[1] < testLoss[0], "test loss did not decrease: " + testLoss[0] + " -> " + testLoss[1]);
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
        for (String f : new String[] {"curves.png", "confusion_matrix.png", "confusion_matrix.txt", "metrics.csv",
            Checkpoint.FILE_NAME, LeNetExample.WEIGHTS_FILE}) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
        assertEquals(2, Checkpoint.load(Checkpoint.file(a)).epoch());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 2/2 done: train loss"), out);
        assertTrue(out.contains("test accuracy"), out);

        // killed just after the last checkpoint was renamed into place: --resume writes every output of the run
        Path killed = tmp.resolve("killed");
        TestData.keepOnlyCheckpoints(a, killed);
        var log3 = new ByteArrayOutputStream();
        LeNetExample.Result r3 = run(killed, data, log3, "--epochs", "2", "--resume");
        assertEquals(0, r3.epochsRun());
        assertTrue(log3.toString(StandardCharsets.UTF_8).contains("holds all 2 epochs"), log3.toString(StandardCharsets.UTF_8));
        TestData.assertSameFiles(a, killed, LeNetExample.WEIGHTS_FILE, "metrics.csv", "curves.png",
                "confusion_matrix.txt", "confusion_matrix.png", Checkpoint.FILE_NAME);

        // the same run interrupted after one epoch and resumed ends with the same weights, bit for bit
        Path b = tmp.resolve("b");
        run(b, data, new ByteArrayOutputStream(), "--epochs", "1");
        assertEquals(1, Checkpoint.load(Checkpoint.file(b)).epoch());
        var log2 = new ByteArrayOutputStream();
        LeNetExample.Result r2 = run(b, data, log2, "--epochs", "2", "--resume");
        assertEquals(1, r2.epochsRun());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("continuing with epoch 2 of 2"),
                log2.toString(StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(a.resolve(LeNetExample.WEIGHTS_FILE)),
                Files.readAllBytes(b.resolve(LeNetExample.WEIGHTS_FILE)));
        assertEquals(r.history().toCsv().lines().count(), r2.history().toCsv().lines().count());
        assertArrayEquals(r.history().column("test_acc"), r2.history().column("test_acc"), 0.0);
    }

    @Test
    void learnsTheSyntheticSet(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("synthetic");
        TestData.writeSynthetic(data, 512, 200, 1);
        LeNetExample.Result r = run(tmp.resolve("out"), data.toString(), new ByteArrayOutputStream(), "--epochs", "2");
        String cm = Files.readString(tmp.resolve("out/confusion_matrix.txt"));
        assertTrue(cm.contains("over 200 samples"), cm);
        assertTrue(r.testAccuracy() > 0.5, "test accuracy " + r.testAccuracy());
    }
}
