package dev.kasane.examples.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.Main;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Device;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.metrics.SuperResolutionMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The superres example on three tiny drawn images (seconds), and its pieces. */
class SuperResExampleTest {
    /** A 48x40 colour image with edges, a gradient and a texture, different per {@code k}. */
    static Tensor drawn(int k) {
        int h = 40;
        int w = 48;
        float[] v = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double edge = (x + k * 3) % 16 < 8 ? 0.8 : 0.2;
                    double texture = 0.1 * Math.sin(0.9 * x * (k + 1) + 0.4 * y) * Math.cos(0.3 * y + c);
                    v[(c * h + y) * w + x] = (float) Math.max(0, Math.min(1, 0.5 * edge + 0.4 * y / h + texture + 0.05 * c));
                }
            }
        }
        return Tensor.of(v, 3, h, w);
    }

    private static Path images(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("photos"));
        for (int k = 0; k < 3; k++) {
            Images.write(drawn(k), data.resolve("img" + k + ".png"));
        }
        return data;
    }

    private static String[] args(Path data, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--data", data.toString(), "--images", "all", "--holdout", "1",
                "--scales", "2,3", "--epochs", "1", "--steps", "3", "--batch-size", "2", "--patch", "6", "--features",
                "4", "--blocks", "1", "--crop", "16", "--log-every", "2", "--out", out.toString(), "--device",
                TestData.device()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** Runs the example with {@code argv}, its log appended to {@code log}. */
    private static List<SuperResExample.Score> run(ByteArrayOutputStream log, String... argv) throws IOException {
        return SuperResExample.run(SuperResExample.parser().parse(argv), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainsEvaluatesAndResumesOnTinyImages(@TempDir Path dir) throws IOException {
        Path data = images(dir);
        Path out = dir.resolve("out");
        var log = new ByteArrayOutputStream();
        List<SuperResExample.Score> scores = run(log, args(data, out));
        assertEquals(8, scores.size(), "bicubic + 3 models, at 2 scales");
        for (SuperResExample.Score s : scores) {
            assertTrue(Double.isFinite(s.psnr()) && s.psnr() > 5 && s.ssim() > -1 && s.ssim() <= 1, s.toString());
        }
        for (String f : new String[] {"results.md", "results.csv", "crops-x2.png", "crops-x3.png",
                "edsr-x3/" + Checkpoint.FILE_NAME, "espcn-x2/metrics.csv", "srcnn-x3/srcnn-x3.safetensors"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String table = Files.readString(out.resolve("results.md"));
        assertTrue(table.contains("| bicubic |") && table.contains("| edsr |") && table.contains("x3 PSNR-Y"), table);
        Tensor crops = Images.readTensor(out.resolve("crops-x2.png"));
        assertTrue(crops.size(2) > 5 * 16, "five columns of crops: " + crops.describe());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ETA") && text.contains("held out img2"), text);

        // --resume with one more epoch continues every run from its checkpoint
        run(log, args(data, out, "--epochs", "2", "--resume", "--scales", "2", "--models", "espcn"));
        assertEquals(2, Checkpoint.load(Checkpoint.file(out.resolve("espcn-x2"))).epoch());
        assertEquals(1, Checkpoint.load(Checkpoint.file(out.resolve("edsr-x2"))).epoch());
    }

    @Test
    void timeBudgetStopsTrainingAndL1LossTrains(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        var log = new ByteArrayOutputStream();
        // 0.003 minutes = 0.18 s: a few epochs of 3 tiny steps, however fast the machine
        List<SuperResExample.Score> scores = run(log, args(images(dir), out, "--scales", "2", "--models", "edsr",
                "--minutes", "0.003", "--loss", "l1", "--self-ensemble"));
        assertEquals(2, scores.size(), "bicubic and edsr");
        assertTrue(Double.isFinite(scores.get(1).psnr()), scores.toString());
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epochs for 0.003 minutes") && text.contains("l1 loss"), text);
        int epochs = Checkpoint.load(Checkpoint.file(out.resolve("edsr-x2"))).epoch();
        assertTrue(epochs >= 1, "epochs " + epochs);
        // the budget is spent: resuming trains no further
        log.reset();
        run(log, args(dir.resolve("photos"), out, "--scales", "2", "--models", "edsr", "--minutes", "0.003", "--loss",
                "l1", "--resume"));
        assertEquals(epochs, Checkpoint.load(Checkpoint.file(out.resolve("edsr-x2"))).epoch());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("edsr x2: already trained (" + epochs + " epochs"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void timeBudgetDecaysTheLearningRateByTheClock() {
        TimeBudget budget = new TimeBudget(100);
        // cosine from 1e-3 to 0 over 100 s (tolerance 1e-12: rounding of cos)
        assertEquals(1e-3, budget.lr(1e-3, 0), 1e-12);
        assertEquals(0.5e-3, budget.lr(1e-3, 50), 1e-12);
        assertEquals(0, budget.lr(1e-3, 100), 1e-12);
        assertEquals(0, budget.lr(1e-3, 250), 1e-12, "0 past the budget");
        assertTrue(!budget.spent(99.9) && budget.spent(100));
        assertEquals(2 + 8, budget.plannedEpochs(2, 20, 10), "80 s left at 10 s an epoch");
        assertEquals(3, budget.plannedEpochs(2, 20, Double.NaN), "at least one more when the epoch time is unknown");
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(0));
    }

    @Test
    void badInputIsOneClearError(@TempDir Path dir) throws IOException {
        Path data = images(dir);
        IOException e = assertThrows(IOException.class, () -> SuperResExample.run(SuperResExample.parser().parse(
                "--data", data.toString(), "--out", dir.resolve("o").toString()), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().startsWith("superres: no image 'astronaut' (.png, .jpg) in "), e.getMessage());
        e = assertThrows(IOException.class, () -> SuperResExample.run(SuperResExample.parser().parse("--data",
                dir.resolve("nowhere").toString()), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("does not exist (give --data DIR"), e.getMessage());
        assertEquals(2, Main.run("superres", "--scales", "5", "--out", dir.resolve("o").toString()));
        assertEquals(2, Main.run("superres", "--models", "vdsr", "--out", dir.resolve("o").toString()));
        assertEquals(2, Main.run("superres", "--loss", "l2", "--out", dir.resolve("o").toString()));
        assertEquals(2, Main.run("superres", "--minutes", "-1", "--out", dir.resolve("o").toString()));
        assertEquals(0, Main.run("superres", "--help"));
    }

    @Test
    void degradationAndColourRecombination() {
        ScaledImage im = ScaledImage.of("drawn", drawn(1), 3);
        assertArrayEquals(new int[] {3, 39, 48}, im.hr().shape());
        assertArrayEquals(new int[] {3, 13, 16}, im.lr().shape());
        assertArrayEquals(new int[] {3, 39, 48}, im.bicubic().shape());
        for (float v : im.lr().toFloatArray()) {
            assertEquals(Math.round(v * 255) / 255f, v, 1e-6f, "8-bit values");
        }
        // the recombined image has the given luma (up to 8-bit rounding: 0.5/255 per channel, tolerance 1/255)
        Tensor y = im.hrY();
        Tensor rgb = im.withLuma(y);
        float[] got = SuperResolutionMetrics.luma(rgb).toFloatArray();
        float[] want = y.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 1 / 255f);
        }
    }

    @Test
    void patchTurnsAreTheEightSymmetries() {
        float[] src = {1, 2, 3, 4};      // [[1, 2], [3, 4]]
        // identity, flips, rotation by 180, transpose, the two rotations by 90, anti-transpose
        float[][] expected = {{1, 2, 3, 4}, {2, 1, 4, 3}, {3, 4, 1, 2}, {4, 3, 2, 1}, {1, 3, 2, 4}, {2, 4, 1, 3},
                {3, 1, 4, 2}, {4, 2, 3, 1}};
        for (int turn = 0; turn < 8; turn++) {
            float[] dst = new float[4];
            PatchSampler.copy(src, 2, 0, 0, 2, turn, dst, 0);
            assertArrayEquals(expected[turn], dst, "turn " + turn);
            // the self-ensemble turns tensors the same way, and turns them back
            Tensor t = SrMethod.turn(Tensor.of(src, 1, 1, 2, 2), turn);
            assertArrayEquals(expected[turn], t.contiguous().toFloatArray(), "tensor turn " + turn);
            Tensor wide = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
            assertArrayEquals(wide.toFloatArray(), SrMethod.turnBack(SrMethod.turn(wide, turn), turn).contiguous()
                    .toFloatArray(), "turned back " + turn);
        }
    }

    @Test
    void selfEnsembleAveragesTheTurnedOutputs() {
        // a network that shifts the image down one pixel: over the 8 turns, the mean of the shifts up, down, left and
        // right, i.e. the "plus" kernel of weight 1/4 (zero padding is symmetric, so exactly, up to rounding: 1e-5)
        float[] down = {0, 1, 0, 0, 0, 0, 0, 0, 0};
        float[] plus = {0, 0.25f, 0, 0.25f, 0, 0.25f, 0, 0.25f, 0};
        ScaledImage im = ScaledImage.of("drawn", drawn(2).to(Device.CPU), 2); // images live on the host
        Tensor got = SrMethod.SRCNN.reconstructLuma(conv(down), im, true);
        Tensor want = SrMethod.SRCNN.reconstructLuma(conv(plus), im, false);
        float[] g = got.toFloatArray();
        float[] w = want.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(w[i], g[i], 1e-5f, "pixel " + i);
        }
        Tensor plain = SrMethod.SRCNN.reconstructLuma(conv(down), im, false);
        assertTrue(Math.abs(plain.toFloatArray()[100] - g[100]) > 1e-4, "the ensemble changes the output");
    }

    private static Module conv(float[] kernel) {
        var conv = new Conv2d(1, 1, 3, 1, 1, false);
        conv.loadStateDict(Map.of("weight", Tensor.of(kernel, 1, 1, 3, 3)), true);
        return conv;
    }

    @Test
    void cropGoesWhereTheDetailIs() {
        float[] v = new float[32 * 32];
        for (int y = 20; y < 28; y++) {
            for (int x = 4; x < 12; x++) {
                v[y * 32 + x] = (x + y) % 2;
            }
        }
        assertArrayEquals(new int[] {20, 4}, ComparisonSheet.detailedWindow(Tensor.of(v, 1, 32, 32), 8));
    }
}
