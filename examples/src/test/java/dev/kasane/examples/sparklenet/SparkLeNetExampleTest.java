package dev.kasane.examples.sparklenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.examples.lenet.LeNetExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of spark-lenet on local[2] with 512 training images (seconds). */
class SparkLeNetExampleTest {
    private static TestData.SmokeRuns<SparkLeNetExample.Result> runs(Path tmp) throws IOException {
        // always on the CPU (not TestData.device()): the replicas train on the executors' CPUs
        return new TestData.SmokeRuns<>(tmp, TestData.fashionDir(tmp), SparkLeNetExample.parser(),
                SparkLeNetExample::run, List.of("--device", "cpu", "--master", "local[2]", "--limit", "512",
                "--test-limit", "500", "--batch-size", "32", "--log-every", "8", "--checkpoint-every", "4"));
    }

    @Test
    void trainsOnTwoWorkersAndResumesToTheSameWeights(@TempDir Path tmp) throws IOException {
        var runs = runs(tmp);
        TestData.Run<SparkLeNetExample.Result> first = runs.run("a", "--epochs", "2");
        SparkLeNetExample.Result r = first.result();
        Path a = first.out();
        double[] loss = r.history().column("train_loss");
        assertEquals(2, loss.length);
        assertTrue(loss[1] < loss[0], "train loss did not decrease: " + loss[0] + " -> " + loss[1]);
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
        for (String f : new String[] {"curves.png", "confusion_matrix.png", "metrics.csv", LeNetExample.WEIGHTS_FILE}) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
        String out = first.log();
        assertTrue(out.contains("epoch 2/2 step 16/16 loss"), out);
        assertTrue(out.contains("epoch 2/2 done: train loss"), out);

        // one epoch, then --resume for the second: the same weights bit for bit (synchronous steps are deterministic)
        Path b = runs.run("b", "--epochs", "1").out();
        String resumed = runs.run("b", "--epochs", "2", "--resume").log();
        assertTrue(resumed.contains("resumed from the checkpoint after step 16"), resumed);
        assertArrayEquals(Files.readAllBytes(a.resolve(LeNetExample.WEIGHTS_FILE)),
                Files.readAllBytes(b.resolve(LeNetExample.WEIGHTS_FILE)));

        // a new run over those checkpoints needs --resume or --overwrite
        UsageException e = assertThrows(UsageException.class, () -> runs.run("b", "--epochs", "1"));
        assertTrue(e.getMessage().contains("holds the checkpoints of an earlier run"), e.getMessage());
    }

    @Test
    void parameterAveragingLearns(@TempDir Path tmp) throws IOException {
        SparkLeNetExample.Result r = runs(tmp).run("avg", "--epochs", "2", "--mode", "average", "--average-every", "4")
                .result();
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
    }
}
