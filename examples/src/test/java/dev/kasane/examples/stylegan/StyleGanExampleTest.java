package dev.kasane.examples.stylegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.Main;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the stylegan example on a few Fashion-MNIST images and a tiny network. */
class StyleGanExampleTest {
    private static final List<String> TINY = List.of("--limit", "32", "--batch-size", "8", "--channels", "4,4,3,2",
            "--z-dim", "8", "--w-dim", "8", "--mapping-layers", "2", "--r1-every", "2", "--log-every", "2", "--fid-samples", "0");

    private static StyleGanExample.Result run(ByteArrayOutputStream log, String... extra) throws IOException {
        return TestData.runOnFashion(StyleGanExample.parser(), StyleGanExample::run, null, log, TINY, extra);
    }

    @Test
    void trainsWritesTheThreeGridsThenResumesToTheSameWeights(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        var log = new ByteArrayOutputStream();
        StyleGanExample.Result r = run(log, "--epochs", "2", "--out", a.toString(), "--fid-samples", "24");
        assertEquals(2, r.epochsRun());
        assertTrue(Double.isFinite(r.fid()) && r.fid() > 0, "FID-FMNIST of 24 images: " + r.fid());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("FID-FMNIST") && out.contains("IS-FMNIST") && out.contains("recall"), "the scores are reported");
        TestData.assertColumnsIn(r.history(), 0, 100, "d_loss", "g_loss", "r1");
        assertTrue(r.history().last("r1") > 0, "R1 ran");
        TestData.assertNonEmptyFiles(a, "samples.png", "samples-trunc0.7.png", "mixing.png", "samples-epoch002.png", "losses.png",
                "losses.csv");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("R1"));

        Path b = dir.resolve("b");
        run(new ByteArrayOutputStream(), "--epochs", "1", "--out", b.toString());
        StyleGanExample.Result r2 = run(new ByteArrayOutputStream(), "--epochs", "2", "--resume", "--out", b.toString());
        assertEquals(1, r2.epochsRun());
        TestData.assertSameModules(a, b, 1e-6f, "generator", "generator_ema", "discriminator");
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
