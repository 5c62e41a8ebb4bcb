package dev.kasane.examples.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.data.TensorDataset;
import dev.kasane.examples.Main;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of the unet example and its synthetic data set. */
class UNetExampleTest {
    @Test
    void syntheticShapesAreSeededAndMasksBinary() {
        TensorDataset a = SyntheticShapes.generate(16, 32, 5);
        TensorDataset b = SyntheticShapes.generate(16, 32, 5);
        TensorDataset c = SyntheticShapes.generate(16, 32, 6);
        assertArrayEquals(new int[] {16, 1, 32, 32}, a.tensor(0).shape());
        assertArrayEquals(new int[] {16, 1, 32, 32}, a.tensor(1).shape());
        assertArrayEquals(a.tensor(0).toFloatArray(), b.tensor(0).toFloatArray());
        assertTrue(!java.util.Arrays.equals(a.tensor(0).toFloatArray(), c.tensor(0).toFloatArray()));
        float[] m = a.tensor(1).toFloatArray();
        int fg = 0;
        for (float v : m) {
            assertTrue(v == 0f || v == 1f);
            fg += (int) v;
        }
        double frac = (double) fg / m.length;
        assertTrue(frac > 0.02 && frac < 0.6, "foreground fraction " + frac);
    }

    @Test
    void trainsOnThirtyTwoImagesAndResumes(@TempDir Path dir) throws IOException {
        var log = new ByteArrayOutputStream();
        var ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        UNetExample.Result r = UNetExample.run(UNetExample.parser().parse("--limit", "32", "--test-size", "16",
                "--size", "32", "--width", "8", "--epochs", "1", "--out", dir.toString(), "--log-every", "1",
                "--device", TestData.device()), ps);
        assertEquals(1, r.epochsRun());
        double loss = r.history().last("train_loss");
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        double dice = r.dice();
        assertTrue(dice >= 0 && dice <= 1, "dice " + dice);
        assertTrue(Files.size(dir.resolve("panels.png")) > 0);
        assertTrue(Files.exists(dir.resolve("metrics.csv")));
        assertTrue(Files.exists(dir.resolve("curves.png")));
        assertEquals(1, Checkpoint.load(r.checkpoint()).epoch());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("held-out Dice"));

        // killed just after the last checkpoint was renamed into place: --resume writes every output of the run
        Path killed = dir.resolve("killed");
        TestData.keepOnlyCheckpoints(dir, killed);
        UNetExample.Result finished = UNetExample.run(UNetExample.parser().parse("--limit", "32", "--test-size", "16",
                "--size", "32", "--width", "8", "--epochs", "1", "--resume", "--out", killed.toString(),
                "--device", TestData.device()), ps);
        assertEquals(0, finished.epochsRun());
        TestData.assertSameFiles(dir, killed, UNetExample.PANELS_FILE, "metrics.csv", "curves.png",
                Checkpoint.FILE_NAME);

        UNetExample.Result r2 = UNetExample.run(UNetExample.parser().parse("--limit", "32", "--test-size", "16",
                "--size", "32", "--width", "8", "--epochs", "2", "--resume", "--out", dir.toString(),
                "--device", TestData.device()), ps);
        assertEquals(1, r2.epochsRun());
        assertEquals(2, r2.history().size());
        assertEquals(2, Checkpoint.load(r2.checkpoint()).epoch());
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("unet", "--help"));
    }
}
