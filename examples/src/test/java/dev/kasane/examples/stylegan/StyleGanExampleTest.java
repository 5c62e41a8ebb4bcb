package dev.kasane.examples.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.Main;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the stylegan example on a few Fashion-MNIST images and a tiny network. */
class StyleGanExampleTest {
    private static final List<String> TINY = List.of("--limit", "32", "--batch-size", "8", "--channels", "4,4,3,2",
            "--z-dim", "8", "--w-dim", "8", "--mapping-layers", "2", "--r1-every", "2", "--log-every", "2", "--fid-samples", "0");

    private static TestData.SmokeRuns<StyleGanExample.Result> runs(Path dir) {
        return new TestData.SmokeRuns<>(dir, null, StyleGanExample.parser(), StyleGanExample::run, TINY);
    }

    @Test
    void trainsWritesTheThreeGridsThenResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        var runs = runs(dir);
        TestData.Run<StyleGanExample.Result> first = runs.run("a", "--epochs", "2", "--fid-samples", "24");
        StyleGanExample.Result r = first.result();
        assertEquals(2, r.epochsRun());
        assertTrue(Double.isFinite(r.fid()) && r.fid() > 0, "FID-FMNIST of 24 images: " + r.fid());
        String out = first.log();
        assertTrue(out.contains("FID-FMNIST") && out.contains("IS-FMNIST") && out.contains("recall"), "the scores are reported");
        TestData.assertColumnsIn(r.history(), 0, 100, "d_loss", "g_loss", "r1");
        assertTrue(r.history().last("r1") > 0, "R1 ran");
        TestData.assertNonEmptyFiles(first.out(), "samples.png", "samples-trunc0.7.png", "mixing.png", "samples-epoch002.png",
                "losses.png", "losses.csv");
        assertTrue(out.contains("R1"), out);

        runs.run("b", "--epochs", "1");
        TestData.Run<StyleGanExample.Result> resumed = runs.run("b", "--epochs", "2", "--resume");
        assertEquals(1, resumed.result().epochsRun());
        TestData.assertSameModules(first.out(), resumed.out(), 1e-6f, "generator", "generator_ema", "discriminator");
    }

    @Test
    void rejectsBadChannels(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> TestData.runOnFashion(StyleGanExample.parser(),
                StyleGanExample::run, null, new ByteArrayOutputStream(), List.of("--channels", "8,8", "--out", dir.toString())));
        assertTrue(e.getMessage().contains("--channels"), e.getMessage());
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("stylegan", "--help"));
    }
}
