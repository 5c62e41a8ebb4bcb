package dev.kasane.examples.sparklenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.examples.lenet.LeNetExample;
import dev.kasane.examples.resnet.ResNetExample;
import dev.kasane.io.Safetensors;
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
        TestData.assertNonEmptyFiles(a, "curves.png", "confusion_matrix.png", "metrics.csv", LeNetExample.WEIGHTS_FILE);
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

    @Test
    void trainsTheResnetExamplesResNet18WithModelResnet18(@TempDir Path tmp) throws IOException {
        TestData.Run<SparkLeNetExample.Result> run = runs(tmp).run("resnet", "--model", "resnet18", "--epochs", "1",
                "--limit", "64", "--test-limit", "64", "--batch-size", "16");
        double loss = run.result().history().last("train_loss");
        assertTrue(Double.isFinite(loss) && loss > 0, "train loss " + loss);
        var weights = Safetensors.load(run.out().resolve(ResNetExample.WEIGHTS_FILE));
        // the grey-to-RGB layer has no weights; the ResNet-18 is the Sequential's second module, 3-channel stem
        assertArrayEquals(new int[] {64, 3, 3, 3}, weights.get("1.conv1.weight").shape());
        assertArrayEquals(new int[] {10, 512}, weights.get("1.fc.weight").shape());
        assertTrue(run.log().contains("epoch 1/1 step 4/4 loss"), run.log());

        UsageException e = assertThrows(UsageException.class, () -> runs(tmp).run("bad", "--model", "vgg"));
        assertEquals("spark-lenet: --model must be lenet5 or resnet18, got vgg (see spark-lenet --help)", e.getMessage());
    }
}
