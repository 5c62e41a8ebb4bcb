package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.dip.DeepImagePrior;
import dev.kasane.examples.lenet.LeNetExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --logdir}: what the examples write for TensorBoard. */
class TensorBoardLogTest {
    @Test
    void progressNumbersStepsOverTheWholeRun() {
        List<String> seen = new ArrayList<>();
        Progress p = new Progress(2, 3).output(new PrintStream(new ByteArrayOutputStream())).interactive(false)
                .onStep((step, loss) -> seen.add(step + ":" + loss));
        for (int epoch = 0; epoch < 2; epoch++) {
            p.startEpoch(epoch);
            for (int s = 0; s < 3; s++) {
                p.step(1, epoch * 10 + s);
            }
            p.stopEpoch();
        }
        assertEquals(List.of("1:0.0", "2:1.0", "3:2.0", "4:10.0", "5:11.0", "6:12.0"), seen);
    }

    @Test
    void lenetLogsStepLossesEpochMetricsWeightsImagesAndItsGraph(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path logdir = tmp.resolve("tb");
        var log = new ByteArrayOutputStream();
        TestData.runOnFashion(LeNetExample.parser(), LeNetExample::run, data, log, List.of("--out",
                tmp.resolve("out").toString(), "--limit", "256", "--test-limit", "100", "--batch-size", "64",
                "--epochs", "1", "--logdir", logdir.toString()));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("tensorboard: logging to " + logdir));
        List<Path> files;
        try (Stream<Path> s = Files.list(logdir)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
        // the tags are stored as UTF-8 strings in the records (the format itself is tested in nn-layers)
        String bytes = new String(Files.readAllBytes(files.get(0)), StandardCharsets.ISO_8859_1);
        for (String tag : new String[] {"step/loss", "epoch/train_loss", "epoch/test_acc", "weights/conv1.weight",
            "weights/fc3.bias", "test_images", "\u0089PNG", "LeNet5/conv1/weight", "input/input.0", "output/output.0"}) {
            assertTrue(bytes.contains(tag), "no " + tag + " in " + files.get(0));
        }
        assertEquals(4, bytes.split("step/loss", -1).length - 1, "one loss per step: 256 images in batches of 64");
    }

    @Test
    void deepImagePriorLogsEachTaskAsARunWithItsOutputImages(@TempDir Path tmp) throws IOException {
        Path logdir = tmp.resolve("tb");
        DeepImagePrior.run(DeepImagePrior.parser().parse("--size", "16", "--iterations", "4", "--inpaint-iterations",
                "4", "--eval-every", "2", "--checkpoint-every", "4", "--out", tmp.resolve("out").toString(),
                "--device", TestData.device(), "--logdir", logdir.toString()), new PrintStream(new ByteArrayOutputStream()));
        for (String task : new String[] {"denoise", "inpaint"}) {
            List<Path> files;
            try (Stream<Path> s = Files.list(logdir.resolve(task))) {
                files = s.toList();
            }
            assertEquals(1, files.size(), files.toString());
            String bytes = new String(Files.readAllBytes(files.get(0)), StandardCharsets.ISO_8859_1);
            for (String tag : new String[] {"step/loss", "iteration/psnr_output", "output", "\u0089PNG"}) {
                assertTrue(bytes.contains(tag), "no " + tag + " in " + files.get(0));
            }
            assertEquals(2, bytes.split("\u0089PNG", -1).length - 1, "an output image at iterations 2 and 4");
        }
    }
}
