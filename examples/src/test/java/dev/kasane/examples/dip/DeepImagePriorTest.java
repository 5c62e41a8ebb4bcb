package dev.kasane.examples.dip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.Main;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import dev.kasane.vision.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of the deep-image-prior example at 32x32. */
class DeepImagePriorTest {
    @Test
    void sceneAndCorruptions() {
        Tensor img = SyntheticScene.image(32);
        assertArrayEquals(new int[] {3, 32, 32}, img.shape());
        for (float v : img.toFloatArray()) {
            assertTrue(v >= 0 && v <= 1);
        }
        // sigma 25/255 noise: PSNR close to 20 log10(255/25) = 20.17 dB
        double p = Metrics.psnr(SyntheticScene.addNoise(img, 25 / 255.0, 1), img, 1.0);
        assertTrue(p > 19.5 && p < 21, "psnr " + p);
        float[] m = SyntheticScene.inpaintingMask(32, 1).toFloatArray();
        double known = 0;
        for (float v : m) {
            assertTrue(v == 0f || v == 1f);
            known += v;
        }
        known /= m.length;
        assertTrue(known > 0.4 && known < 0.95, "known fraction " + known);
    }

    @Test
    void denoisesAndInpaintsTwentyIterations(@TempDir Path dir) throws IOException {
        var log = new ByteArrayOutputStream();
        var ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        List<DeepImagePrior.TaskResult> rs = DeepImagePrior.run(DeepImagePrior.parser().parse("--size", "32",
                "--iterations", "20", "--inpaint-iterations", "20", "--eval-every", "5", "--checkpoint-every", "10",
                "--out", dir.toString(), "--log-every", "5", "--device", TestData.device()), ps);
        assertEquals(2, rs.size());
        for (DeepImagePrior.TaskResult r : rs) {
            assertTrue(Double.isFinite(r.finalLoss()) && r.finalLoss() > 0, r.summary());
            assertTrue(Double.isFinite(r.psnrCorrupted()) && Double.isFinite(r.psnrRestored()), r.summary());
            assertTrue(Double.isFinite(r.ssimRestored()), r.summary());
            for (String f : new String[] {"clean.png", "corrupted.png", "restored.png", "comparison.png", "psnr.csv",
                    "psnr.png", "results.txt", Checkpoint.FILE_NAME}) {
                assertTrue(Files.exists(r.dir().resolve(f)), r.dir().resolve(f).toString());
            }
            assertEquals(20, Checkpoint.load(Checkpoint.file(r.dir())).epoch());
        }
        assertEquals(rs.get(0).summary() + "\n" + rs.get(1).summary() + "\n",
                Files.readString(dir.resolve(DeepImagePrior.SUMMARY_FILE)));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(printed.indexOf(rs.get(0).summary()), printed.lastIndexOf(rs.get(0).summary()),
                "each result line is printed once:\n" + printed);

        // killed just after the last checkpoints were renamed into place: --resume writes every output of the run
        Path killed = dir.resolve("killed");
        TestData.keepOnlyCheckpoints(dir, killed);
        List<DeepImagePrior.TaskResult> again = DeepImagePrior.run(DeepImagePrior.parser().parse("--size", "32",
                "--iterations", "20", "--inpaint-iterations", "20", "--eval-every", "5", "--checkpoint-every", "10",
                "--out", killed.toString(), "--resume", "--device", TestData.device()), ps);
        assertEquals(rs.get(0).summary(), again.get(0).summary());
        assertEquals(rs.get(1).summary(), again.get(1).summary());
        List<String> outputs = new java.util.ArrayList<>(List.of(DeepImagePrior.SUMMARY_FILE, "inpaint/mask.png"));
        for (String task : List.of("denoise", "inpaint")) { // the tasks of --task both
            for (String f : new String[] {"clean.png", "corrupted.png", "restored.png", "last-output.png",
                    "comparison.png", "psnr.csv", "psnr.png", DeepImagePrior.RESULTS_FILE, Checkpoint.FILE_NAME}) {
                outputs.add(task + "/" + f);
            }
        }
        TestData.assertSameFiles(dir, killed, outputs.toArray(String[]::new));

        // a task run on its own keeps the other task's line in summary.txt
        DeepImagePrior.run(DeepImagePrior.parser().parse("--task", "inpaint", "--size", "32", "--inpaint-iterations",
                "20", "--out", killed.toString(), "--resume", "--device", TestData.device()), ps);
        assertEquals(Files.readString(dir.resolve(DeepImagePrior.SUMMARY_FILE)),
                Files.readString(killed.resolve(DeepImagePrior.SUMMARY_FILE)));

        // Resume the denoising run for 10 more iterations.
        List<DeepImagePrior.TaskResult> more = DeepImagePrior.run(DeepImagePrior.parser().parse("--task", "denoise",
                "--size", "32", "--iterations", "30", "--eval-every", "5", "--out", dir.toString(), "--resume",
                "--device", TestData.device()), ps);
        assertEquals(30, more.get(0).iterations());
        assertEquals(30, Checkpoint.load(Checkpoint.file(more.get(0).dir())).epoch());
    }

    @Test
    void superResolvesFromTheSmallImageAlone(@TempDir Path dir) throws IOException {
        var ps = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<DeepImagePrior.TaskResult> rs = DeepImagePrior.run(DeepImagePrior.parser().parse("--task", "superres",
                "--size", "32", "--superres-iterations", "10", "--eval-every", "5", "--out", dir.toString(), "--device",
                TestData.device()), ps);
        DeepImagePrior.TaskResult r = rs.get(0);
        assertEquals("superres", r.task());
        // the baseline is the bicubic upscaling of the 8x8 image: far from the clean 32x32 scene, but not noise
        assertTrue(r.psnrCorrupted() > 12 && r.psnrCorrupted() < 30, r.summary());
        assertTrue(Double.isFinite(r.psnrRestored()) && r.finalLoss() > 0, r.summary());
        assertArrayEquals(new int[] {1, 3, 8, 8}, DeepImagePrior.shrink(SyntheticScene.image(32).unsqueeze(0)).shape());
        assertTrue(Files.exists(r.dir().resolve("comparison.png")));
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("deep-image-prior", "--help"));
    }
}
