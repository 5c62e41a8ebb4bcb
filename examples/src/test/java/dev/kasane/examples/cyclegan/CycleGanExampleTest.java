package dev.kasane.examples.cyclegan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.Main;
import dev.kasane.examples.common.History;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.vision.metrics.FidFmnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the cyclegan example on a few Fashion-MNIST images and tiny networks. */
class CycleGanExampleTest {
    private static final List<String> TINY = List.of("--limit", "32", "--batch-size", "4", "--ngf", "2", "--blocks", "1",
            "--ndf", "2", "--eval-images", "16", "--pool", "3", "--log-every", "2", "--lambda-identity", "0.5",
            "--fid-samples", "0");

    private static CycleGanExample.Result run(ByteArrayOutputStream log, String... extra) throws IOException {
        return TestData.runOnFashion(CycleGanExample.parser(), CycleGanExample::run, null, log, TINY, extra);
    }

    @Test
    void trainsWritesSheetsAndMappingErrorThenResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        var log = new ByteArrayOutputStream();
        CycleGanExample.Result r = run(log, "--epochs", "2", "--out", a.toString(), "--fid-samples", "16");
        assertEquals(2, r.epochsRun());
        History h = r.history();
        assertEquals(2, h.size());
        TestData.assertColumnsIn(h, 0, 100, "d_loss", "g_gan", "cycle", "identity", "mse_ab", "mse_ba");
        // images in [0, 1]: every squared error is at most 1, so PSNR is at least 0 dB
        assertTrue(h.last("psnr_ab") >= 0 && h.last("psnr_ba") >= 0);
        assertTrue(r.doNothingMse() > 0.05, "inverting changes the images a lot: " + r.doNothingMse());
        TestData.assertNonEmptyFiles(a, "samples-epoch001.png", "samples-epoch002.png", "samples.png", "losses.png", "mapping.png",
                "losses.csv");
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("doing nothing scores MSE") && out.contains("A->B MSE"), out);
        // FID-FMNIST, IS-FMNIST and precision/recall of 16 held-out translations each way
        for (FidFmnist.Evaluation e : new FidFmnist.Evaluation[] {r.scoresAB(), r.scoresBA()}) {
            assertTrue(Double.isFinite(e.fid()) && e.fid() > 0, "FID-FMNIST " + e.fid());
            assertTrue(e.isFmnist().mean() >= 1 && e.isFmnist().mean() <= 10, "IS-FMNIST " + e.isFmnist());
            assertTrue(e.precisionRecall().precision() >= 0 && e.precisionRecall().recall() <= 1, e.precisionRecall().toString());
        }
        assertTrue(out.contains("FID-FMNIST (not FID) of 16 translations G(A) of test images against 16 true T(A)")
                && out.contains("16 translations F(B)") && out.contains("IS-FMNIST (not the Inception Score)")
                && out.contains("precision"), out);

        Path b = dir.resolve("b");
        run(new ByteArrayOutputStream(), "--epochs", "1", "--out", b.toString());
        var log2 = new ByteArrayOutputStream();
        CycleGanExample.Result r2 = run(log2, "--epochs", "2", "--resume", "--out", b.toString());
        assertEquals(1, r2.epochsRun());
        assertTrue(r2.scoresAB() == null && r2.scoresBA() == null, "--fid-samples 0 skips the scores");
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("continuing with epoch 2 of 2"));
        TestData.assertSameModules(a, b, 1e-6f, "g_ab", "g_ba", "d_a", "d_b");
    }

    @Test
    void rotateTaskIsItsOwnInverseAfterFourTurns() {
        Tensor x = Tensor.randn(2, 1, 5, 5);
        Tensor y = x;
        for (int i = 0; i < 4; i++) {
            y = CycleGanExample.Task.ROTATE.apply(y);
        }
        assertArrayEquals(x.toFloatArray(), y.toFloatArray(), 0f);
        // clockwise: the top-left pixel goes to the top-right corner
        Tensor one = Tensor.zeros(1, 1, 3, 3);
        one = one.add(Tensor.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 1, 3, 3));
        assertEquals(1, CycleGanExample.Task.ROTATE.apply(one).toFloatArray()[2], 0);
    }

    @Test
    void rejectsBadOptionsInOneLine(@TempDir Path dir) {
        List<String> bad = new ArrayList<>(List.of("--task", "mirror", "--out", dir.toString()));
        UsageException e = assertThrows(UsageException.class,
                () -> TestData.runOnFashion(CycleGanExample.parser(), CycleGanExample::run, null, new ByteArrayOutputStream(), bad));
        assertTrue(e.getMessage().contains("--task"), e.getMessage());
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("cyclegan", "--help"));
    }
}
