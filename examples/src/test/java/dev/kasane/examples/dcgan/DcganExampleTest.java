package dev.kasane.examples.dcgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.Main;
import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.Gans;
import dev.kasane.examples.common.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke tests of the dcgan example on a few Fashion-MNIST images. */
class DcganExampleTest {
    private static Gans.Result run(ByteArrayOutputStream log, String... argv) throws IOException {
        // FID-FMNIST on 32 samples: seconds, not the minutes of the default 10,000
        return DcganExample.run(DcganExample.parser().parse(concat(argv, "--device", TestData.device(), "--fid-samples", "32")),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainsOneEpochWritesSamplesAndCheckpointThenResumes(@TempDir Path dir) throws IOException {
        var log = new ByteArrayOutputStream();
        Gans.Result r = run(log, "--limit", "128", "--epochs", "1", "--out", dir.toString(), "--log-every", "1");
        assertEquals(1, r.epochsRun());
        assertEquals(1, r.history().size());
        TestData.assertColumnsIn(r.history(), -100, 100, "d_loss", "g_loss");
        assertTrue(Files.size(dir.resolve("samples-epoch001.png")) > 0);
        assertTrue(Files.exists(dir.resolve("samples.png")));
        assertTrue(Files.exists(dir.resolve("losses.csv")));
        assertTrue(Files.exists(dir.resolve("losses.png")));
        assertTrue(Files.exists(r.checkpoint()));
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("D loss") && out.contains("G loss"), out);
        assertTrue(r.fidFmnist() > 0 && Double.isFinite(r.fidFmnist()), "FID-FMNIST " + r.fidFmnist());
        assertTrue(out.contains("FID-FMNIST (not FID) of 32 generated images"), out);

        Checkpoint ck = Checkpoint.load(r.checkpoint());
        assertEquals(1, ck.epoch());
        assertTrue(ck.modules().contains("generator") && ck.modules().contains("discriminator"));

        var log2 = new ByteArrayOutputStream();
        Gans.Result r2 = run(log2, "--limit", "128", "--epochs", "2", "--resume", "--out", dir.toString());
        assertEquals(1, r2.epochsRun());
        assertEquals(2, r2.history().size());
        TestData.assertColumnsIn(r2.history(), -100, 100, "d_loss", "g_loss");
        assertTrue(Files.exists(dir.resolve("samples-epoch002.png")));
        assertEquals(2, Checkpoint.load(r2.checkpoint()).epoch());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("continuing with epoch 2 of 2"),
                log2.toString(StandardCharsets.UTF_8));
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String[] common = {"--limit", "64", "--batch-size", "32", "--seed", "3"};
        run(new ByteArrayOutputStream(), concat(common, "--epochs", "2", "--out", a.toString()));
        // killed just after the last checkpoint was renamed into place: --resume writes every output of the run
        Path killed = dir.resolve("killed");
        TestData.keepOnlyCheckpoints(a, killed, "samples-epoch001.png");
        Gans.Result finished = run(new ByteArrayOutputStream(), concat(common, "--epochs", "2", "--resume",
                "--out", killed.toString()));
        assertEquals(0, finished.epochsRun());
        assertEquals(killed.resolve("samples-epoch002.png"), finished.lastGrid());
        TestData.assertSameFiles(a, killed, "samples-epoch002.png", "samples.png", "losses.csv", "losses.png",
                Checkpoint.FILE_NAME);

        run(new ByteArrayOutputStream(), concat(common, "--epochs", "1", "--out", b.toString()));
        run(new ByteArrayOutputStream(), concat(common, "--epochs", "2", "--resume", "--out", b.toString()));
        TestData.assertSameModules(a, b, 1e-6f, "generator");
    }

    @Test
    void gradientPenaltyModeTrains(@TempDir Path dir) throws IOException {
        var log = new ByteArrayOutputStream();
        Gans.Result r = run(log, "--gradient-penalty", "--limit", "320", "--epochs", "1", "--out",
                dir.toString(), "--log-every", "5");
        TestData.assertColumnsIn(r.history(), -100, 100, "d_loss", "g_loss");
        assertTrue(Double.isFinite(r.history().last("penalty")));
        assertTrue(Files.exists(dir.resolve("samples-epoch001.png")));
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("WGAN-GP") && out.contains("W-distance"), out);
        // The critic has no BatchNorm (no running statistics in its state).
        assertTrue(Checkpoint.loadModuleState(r.checkpoint(), "discriminator").keySet().stream()
                .noneMatch(k -> k.contains("running")));
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("dcgan", "--help"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
