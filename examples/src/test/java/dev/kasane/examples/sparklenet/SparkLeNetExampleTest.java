package dev.kasane.examples.sparklenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.examples.lenet.LeNetExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of spark-lenet on local[2] with 512 training images (seconds). */
class SparkLeNetExampleTest {
    private static SparkLeNetExample.Result run(Path out, String data, ByteArrayOutputStream log, String... extra)
            throws IOException {
        // always on the CPU (not TestData.device()): the replicas train on the executors' CPUs
        List<String> argv = new ArrayList<>(List.of("--out", out.toString(), "--master", "local[2]", "--limit",
                "512", "--test-limit", "500", "--batch-size", "32", "--log-every", "8", "--checkpoint-every", "4"));
        if (data != null) {
            argv.addAll(List.of("--data", data));
        }
        argv.addAll(List.of(extra));
        return SparkLeNetExample.run(SparkLeNetExample.parser().parse(argv.toArray(String[]::new)),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainsOnTwoWorkersAndResumesToTheSameWeights(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path a = tmp.resolve("a");
        var log = new ByteArrayOutputStream();
        SparkLeNetExample.Result r = run(a, data, log, "--epochs", "2");
        double[] loss = r.history().column("train_loss");
        assertEquals(2, loss.length);
        assertTrue(loss[1] < loss[0], "train loss did not decrease: " + loss[0] + " -> " + loss[1]);
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
        for (String f : new String[] {"curves.png", "confusion_matrix.png", "metrics.csv", LeNetExample.WEIGHTS_FILE}) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 2/2 step 16/16 loss"), out);
        assertTrue(out.contains("epoch 2/2 done: train loss"), out);

        // one epoch, then --resume for the second: the same weights bit for bit (synchronous steps are deterministic)
        Path b = tmp.resolve("b");
        run(b, data, new ByteArrayOutputStream(), "--epochs", "1");
        var log2 = new ByteArrayOutputStream();
        run(b, data, log2, "--epochs", "2", "--resume");
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("resumed from the checkpoint after step 16"),
                log2.toString(StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(a.resolve(LeNetExample.WEIGHTS_FILE)),
                Files.readAllBytes(b.resolve(LeNetExample.WEIGHTS_FILE)));

        // a new run over those checkpoints needs --resume or --overwrite
        UsageException e = assertThrows(UsageException.class, () -> run(b, data, new ByteArrayOutputStream(),
                "--epochs", "1"));
        assertTrue(e.getMessage().contains("holds the checkpoints of an earlier run"), e.getMessage());
    }

    @Test
    void parameterAveragingLearns(@TempDir Path tmp) throws IOException {
        SparkLeNetExample.Result r = run(tmp.resolve("avg"), TestData.fashionDir(tmp), new ByteArrayOutputStream(),
                "--epochs", "2", "--mode", "average", "--average-every", "4");
        assertTrue(r.testAccuracy() > 0.3, "test accuracy " + r.testAccuracy());
    }
}
