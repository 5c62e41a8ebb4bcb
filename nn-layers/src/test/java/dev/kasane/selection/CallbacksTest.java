package dev.kasane.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EarlyStopping and ModelCheckpoint over scripted metric sequences. */
class CallbacksTest {
    /** Sets every weight and bias of {@code model} to {@code value} (an "epoch" of training). */
    private static void fill(Linear model, double value) {
        try (var g = Autograd.noGrad()) {
            model.parameters().forEach(p -> p.copyFrom(p.fullLike(value)));
        }
    }

    private static float weight(Linear model) {
        return model.parameters().get(0).toFloatArray()[0];
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsWithoutAnImprovementLargerThanMinDelta() {
        var stopper = new EarlyStopping(Mode.MAX, 2, 0.01);
        assertFalse(stopper.step(0.5));
        assertFalse(stopper.step(0.6));
        assertFalse(stopper.step(0.605), "0.605 is not 0.01 above 0.6: first epoch without improvement");
        assertTrue(stopper.step(0.59), "second epoch without improvement");
        assertTrue(stopper.step(0.9), "stays stopped");
        assertEquals(0.6, stopper.best());
        assertEquals(1, stopper.bestEpoch());
        assertTrue(stopper.stopped());
    }

    @Test
    void earlyStoppingMinModeCountsAgainAfterAnImprovementAndIgnoresNaN() {
        var stopper = new EarlyStopping(Mode.MIN, 2, 0);
        assertFalse(stopper.step(Double.NaN));
        assertFalse(stopper.step(1.0));
        assertFalse(stopper.step(1.0), "equal is no improvement");
        assertFalse(stopper.step(0.9), "an improvement resets the count");
        assertFalse(stopper.step(Double.NaN));
        assertTrue(stopper.step(0.95));
        assertEquals(3, stopper.bestEpoch());
        var impatient = new EarlyStopping(Mode.MIN, 0, 0);
        assertFalse(impatient.step(1));
        assertTrue(impatient.step(2), "patience 0 stops at the first epoch without improvement");
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        Linear model = new Linear(3, 2);
        var stopper = new EarlyStopping(Mode.MAX, 2, 0).restoreBestWeights(model);
        double[] accuracy = {0.1, 0.3, 0.2, 0.25};
        boolean stop = false;
        for (int epoch = 0; epoch < accuracy.length && !stop; epoch++) {
            fill(model, epoch + 1);
            stop = stopper.step(accuracy[epoch]);
        }
        assertTrue(stop);
        assertEquals(2f, weight(model), "epoch 1's weights are back");
        assertArrayEquals(new float[] {2, 2}, model.parameters().get(1).toFloatArray());
    }

    @Test
    void earlyStoppingRejectsBadSettings() {
        assertEquals("EarlyStopping: patience must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(Mode.MIN, -1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(Mode.MIN, 1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(Mode.MIN, 1, Double.NaN));
    }

    @Test
    void modelCheckpointKeepsTheBestKFilesAndLoadsTheBest(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
        Linear model = new Linear(2, 1);
        var checkpoints = new ModelCheckpoint(dir, "val_acc", Mode.MAX, 2);
        double[] accuracy = {0.5, 0.7, 0.6, 0.8, 0.65, Double.NaN, 0.7};
        for (int epoch = 0; epoch < accuracy.length; epoch++) {
            fill(model, epoch);
            Optional<Path> saved = checkpoints.step(model, epoch, accuracy[epoch]);
            assertEquals(epoch < 4, saved.isPresent(), "epoch " + epoch);
        }
        assertEquals(List.of(3, 1), checkpoints.best().stream().map(ModelCheckpoint.Saved::epoch).toList(),
                "0.8 and 0.7; the later 0.7 does not displace the earlier");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("epoch=1-val_acc=0.7000.safetensors", "epoch=3-val_acc=0.8000.safetensors", "notes.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("3", Safetensors.loadWithMetadata(dir.resolve("epoch=3-val_acc=0.8000.safetensors")).metadata()
                .get("epoch"));
        fill(model, 42);
        checkpoints.loadBest(model);
        assertEquals(3f, weight(model));
    }

    @Test
    void modelCheckpointInMinModeAndItsErrors(@TempDir Path dir) throws IOException {
        Linear model = new Linear(2, 1);
        var checkpoints = new ModelCheckpoint(dir.resolve("sub"), "loss", Mode.MIN, 1);
        assertEquals("ModelCheckpoint.loadBest: no checkpoint was saved in " + dir.resolve("sub"),
                assertThrows(IllegalStateException.class, () -> checkpoints.loadBest(model)).getMessage());
        checkpoints.step(model, 0, 2.0);
        checkpoints.step(model, 1, 1.0);
        assertTrue(checkpoints.step(model, 2, 1.5).isEmpty());
        assertEquals(1.0, checkpoints.best().get(0).metric());
        try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
            assertEquals(1, files.count());
        }
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir, "a/b", Mode.MIN, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir, "loss", Mode.MIN, 0));
    }
}
