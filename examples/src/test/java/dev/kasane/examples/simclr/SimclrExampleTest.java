package dev.kasane.examples.simclr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the simclr example on 256 training images (seconds). */
class SimclrExampleTest {
    private static TestData.SmokeRuns<SimclrExample.Result> runs(Path tmp, String data) {
        return new TestData.SmokeRuns<>(tmp, data, SimclrExample.parser(), SimclrExample::run, List.of("--limit", "256",
                "--test-limit", "200", "--batch-size", "64", "--width", "8", "--probe-epochs", "10",
                "--supervised-epochs", "1", "--log-every", "2"));
    }

    @Test
    void pretrainsProbesWritesOutputsAndResumesToTheSameEncoder(@TempDir Path tmp) throws IOException {
        var runs = runs(tmp, TestData.fashionDir(tmp));
        TestData.Run<SimclrExample.Result> first = runs.run("a", "--epochs", "2");
        SimclrExample.Result r = first.result();
        Path a = first.out();
        assertEquals(2, r.epochsRun());
        double[] loss = r.history().column("ntxent");
        assertEquals(2, loss.length);
        // NT-Xent of unrelated embeddings is about log(2N - 1) = log(127) = 4.84
        assertTrue(loss[0] > 3 && loss[0] < 6, "first epoch's loss " + loss[0]);
        for (double acc : new double[] {r.simclrProbe(), r.randomProbe(), r.supervisedProbe(), r.supervised()}) {
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        }
        assertTrue(r.randomProbe() > 0.2, "a probe on random features beats chance (0.1) by far: " + r.randomProbe());
        TestData.assertNonEmptyFiles(a, "views.png", "losses.png", "losses.csv", "results.csv",
                SimclrExample.ENCODER_FILE, Checkpoint.FILE_NAME);
        String results = Files.readString(a.resolve("results.csv"));
        assertTrue(results.startsWith("encoder,training,linear_probe_test_acc\nsimclr,2 epochs without labels,"), results);
        assertTrue(first.log().contains("linear probes on frozen features"));

        // interrupted after one epoch and resumed: the same encoder, bit for bit, and the same probe accuracy
        runs.run("b", "--epochs", "1");
        TestData.Run<SimclrExample.Result> resumed = runs.run("b", "--epochs", "2", "--resume");
        SimclrExample.Result r2 = resumed.result();
        assertEquals(1, r2.epochsRun());
        TestData.assertSameFiles(a, resumed.out(), SimclrExample.ENCODER_FILE, "results.csv");
        assertArrayEquals(loss, r2.history().column("ntxent"), 0.0);
        assertEquals(r.simclrProbe(), r2.simclrProbe());
    }

    @Test
    void rejectsAnUnknownOptimizer(@TempDir Path tmp) {
        UsageException e = assertThrows(UsageException.class,
                () -> runs(tmp, null).run("x", "--optimizer", "sgd"));
        assertTrue(e.getMessage().contains("--optimizer must be adam or lars, got sgd"), e.getMessage());
    }

    @Test
    void trainsWithLars(@TempDir Path tmp) throws IOException {
        TestData.Run<SimclrExample.Result> lars = runs(tmp, TestData.fashionDir(tmp)).run("lars", "--epochs", "1",
                "--optimizer", "lars", "--supervised-epochs", "0");
        SimclrExample.Result r = lars.result();
        assertTrue(Double.isFinite(r.history().last("ntxent")));
        assertTrue(Double.isNaN(r.supervised()), "no supervised reference with --supervised-epochs 0");
        assertTrue(lars.log().contains("lars lr 0.0750"), lars.log());
    }
}
