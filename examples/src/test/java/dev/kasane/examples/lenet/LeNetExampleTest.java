package dev.kasane.examples.lenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the lenet example on a few hundred images (seconds). */
class LeNetExampleTest {
    private static TestData.SmokeRuns<LeNetExample.Result> runs(Path tmp, String data) {
        return new TestData.SmokeRuns<>(tmp, data, LeNetExample.parser(), LeNetExample::run, List.of("--limit", "512",
                "--test-limit", "500", "--batch-size", "32", "--log-every", "8"));
    }

    @Test
    void trainsWritesOutputsAndResumesToTheSameWeights(@TempDir Path tmp) throws IOException {
        var runs = runs(tmp, TestData.fashionDir(tmp));
        TestData.Run<LeNetExample.Result> first = runs.run("a", "--epochs", "2");
        LeNetExample.Result r = first.result();
        Path a = first.out();
        assertEquals(2, r.epochsRun());
        double[] loss = r.history().column("train_loss");
        assertEquals(2, loss.length);
        assertTrue(loss[1] < loss[0], "train loss did not decrease: " + loss[0] + " -> " + loss[1]);
        double[] testLoss = r.history().column("test_loss");
        assertTrue(testLoss[1] < testLoss[0], "test loss did not decrease: " + testLoss[0] + " -> " + testLoss[1]);
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
        TestData.assertNonEmptyFiles(a, "curves.png", "confusion_matrix.png", "confusion_matrix.txt", "metrics.csv",
                Checkpoint.FILE_NAME, LeNetExample.WEIGHTS_FILE);
        assertEquals(2, Checkpoint.load(Checkpoint.file(a)).epoch());
        String out = first.log();
        assertTrue(out.contains("epoch 2/2 done: train loss"), out);
        assertTrue(out.contains("test accuracy"), out);

        // killed just after the last checkpoint was renamed into place: --resume writes every output of the run
        Path killed = tmp.resolve("killed");
        TestData.keepOnlyCheckpoints(a, killed);
        TestData.Run<LeNetExample.Result> finished = runs.run("killed", "--epochs", "2", "--resume");
        assertEquals(0, finished.result().epochsRun());
        assertTrue(finished.log().contains("holds all 2 epochs"), finished.log());
        TestData.assertSameFiles(a, killed, LeNetExample.WEIGHTS_FILE, "metrics.csv", "curves.png",
                "confusion_matrix.txt", "confusion_matrix.png", Checkpoint.FILE_NAME);

        // the same run interrupted after one epoch and resumed ends with the same weights, bit for bit
        Path b = runs.run("b", "--epochs", "1").out();
        assertEquals(1, Checkpoint.load(Checkpoint.file(b)).epoch());
        TestData.Run<LeNetExample.Result> resumed = runs.run("b", "--epochs", "2", "--resume");
        LeNetExample.Result r2 = resumed.result();
        assertEquals(1, r2.epochsRun());
        assertTrue(resumed.log().contains("continuing with epoch 2 of 2"), resumed.log());
        assertArrayEquals(Files.readAllBytes(a.resolve(LeNetExample.WEIGHTS_FILE)),
                Files.readAllBytes(b.resolve(LeNetExample.WEIGHTS_FILE)));
        assertEquals(r.history().toCsv().lines().count(), r2.history().toCsv().lines().count());
        assertArrayEquals(r.history().column("test_acc"), r2.history().column("test_acc"), 0.0);
    }

    @Test
    void learnsTheSyntheticSet(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("synthetic");
        TestData.writeSynthetic(data, 512, 200, 1);
        LeNetExample.Result r = runs(tmp, data.toString()).run("out", "--epochs", "2").result();
        String cm = Files.readString(tmp.resolve("out/confusion_matrix.txt"));
        assertTrue(cm.contains("over 200 samples"), cm);
        assertTrue(r.testAccuracy() > 0.5, "test accuracy " + r.testAccuracy());
    }
}
