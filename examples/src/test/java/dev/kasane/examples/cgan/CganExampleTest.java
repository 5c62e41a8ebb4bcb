package dev.kasane.examples.cgan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.Main;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.Gans;
import dev.kasane.examples.common.TestData;
import dev.kasane.vision.io.Images;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the cgan example on a few Fashion-MNIST images. */
class CganExampleTest {
    private static Gans.Result run(ByteArrayOutputStream log, String... argv) throws IOException {
        String[] all = new String[argv.length + 4];
        System.arraycopy(argv, 0, all, 0, argv.length);
        System.arraycopy(new String[] {"--device", TestData.device(), "--fid-samples", "40"}, 0, all, argv.length, 4);
        return CganExample.run(CganExample.parser().parse(all), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainsWritesAGridWithARowPerClassReportsFidAndResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        var log = new ByteArrayOutputStream();
        Gans.Result r = run(log, "--limit", "128", "--batch-size", "32", "--epochs", "2", "--seed", "5",
                "--out", a.toString());
        assertEquals(2, r.epochsRun());
        TestData.assertColumnsIn(r.history(), -100, 100, "d_loss", "g_loss");
        // 10 rows and 10 columns of 28x28 images with torchvision's 2-pixel padding: 10 * 30 + 2 = 302 pixels square
        Tensor grid = Images.read(a.resolve("samples-epoch002.png"));   // [H, W, C]
        assertArrayEquals(new int[] {302, 302}, new int[] {grid.size(0), grid.size(1)});
        assertTrue(Files.exists(a.resolve("losses.png")) && Files.exists(a.resolve("losses.csv")));
        assertTrue(Double.isFinite(r.fidFmnist()) && r.fidFmnist() > 0, "FID-FMNIST " + r.fidFmnist());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("FID-FMNIST (not FID) of 40 generated images") && out.contains("IS-FMNIST (not the Inception "
                + "Score)") && out.contains("precision") && out.contains("recall"), out);
        // the discriminator's state dict has PyTorch's spectral-norm keys
        Map<String, Tensor> d = Checkpoint.loadModuleState(r.checkpoint(), "discriminator");
        assertTrue(d.containsKey("conv1.weight_orig") && d.containsKey("conv1.weight_u") && d.containsKey("head.embed.weight_v"),
                d.keySet().toString());

        Path b = dir.resolve("b");
        run(new ByteArrayOutputStream(), "--limit", "128", "--batch-size", "32", "--epochs", "1", "--seed", "5", "--out", b.toString());
        var log2 = new ByteArrayOutputStream();
        run(log2, "--limit", "128", "--batch-size", "32", "--epochs", "2", "--seed", "5", "--resume", "--out", b.toString());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("continuing with epoch 2 of 2"), log2.toString(StandardCharsets.UTF_8));
        TestData.assertSameModules(a, b, 1e-6f, "generator");
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("cgan", "--help"));
    }
}
