package dev.kasane.examples.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.Main;
import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import dev.kasane.vision.metrics.FidFmnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the fid-fmnist example on a few Fashion-MNIST images: weights written, the floor's three scores. */
class FidFmnistExampleTest {
    private static final List<String> TINY = List.of("--limit", "64", "--batch-size", "16", "--epochs", "1", "--log-every", "2");

    @Test
    void trainsWritesWeightsAndReportsTheFloor(@TempDir Path dir) throws IOException {
        var log = new ByteArrayOutputStream();
        FidFmnistExample.Result r = TestData.runOnFashion(FidFmnistExample.parser(), FidFmnistExample::run, null, log, TINY,
                "--fid-samples", "20", "--out", dir.toString());
        assertTrue(Files.size(r.weights()) > 800_000, "the network's weights");
        FidFmnist.Evaluation floor = r.floor();
        assertTrue(Double.isFinite(floor.fid()) && floor.fid() > 0, "FID-FMNIST floor " + floor.fid());
        assertTrue(floor.isFmnist().mean() >= 1 && floor.isFmnist().mean() <= 10, "IS-FMNIST " + floor.isFmnist());
        assertTrue(floor.precisionRecall().precision() > 0 && floor.precisionRecall().recall() > 0,
                "real images lie partly in each other's manifold: " + floor.precisionRecall());
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("FID-FMNIST floor (20 test vs 20 training images)") && out.contains("IS-FMNIST")
                && out.contains("recall"), out);
    }

    @Test
    void rejectsTooFewSamplesForIsFmnist(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> TestData.runOnFashion(FidFmnistExample.parser(),
                FidFmnistExample::run, null, new ByteArrayOutputStream(), TINY, "--fid-samples", "5", "--out", dir.toString()));
        assertTrue(e.getMessage().contains("--fid-samples must be at least 10"), e.getMessage());
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("fid-fmnist", "--help"));
    }
}
