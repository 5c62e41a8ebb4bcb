package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.BatchNorm1d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.StepLR;
import dev.kasane.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static Module model(long seed) {
        Generator.seedGlobal(seed);
        return new Sequential(new Linear(4, 8), new BatchNorm1d(8), new Linear(8, 3));
    }

    /** A few Adam steps on random data drawn from epoch-derived seeds. */
    private static void train(Module m, Adam opt, StepLR sched, long seed, int fromEpoch, int toEpoch) {
        for (int epoch = fromEpoch; epoch < toEpoch; epoch++) {
            Seeds.startEpoch(seed, epoch);
            for (int s = 0; s < 3; s++) {
                Tensor x = Tensor.randn(16, 4);
                Tensor y = Tensor.randint(0, 3, 16);
                opt.zeroGrad();
                F.crossEntropy(m.forward(x), y).backward();
                opt.step();
            }
            sched.step();
        }
    }

    private static void assertSameState(Module a, Module b) {
        Map<String, Tensor> sa = a.stateDict();
        Map<String, Tensor> sb = b.stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) {
            assertArrayEquals(sa.get(k).toDoubleArray(), sb.get(k).toDoubleArray(), 0.0, k);
        }
    }

    @Test
    void resumeGivesTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Module a = model(1);
        Adam optA = new Adam(a.parameters(), 1e-2);
        StepLR schedA = new StepLR(optA, 1, 0.5);
        train(a, optA, schedA, 42, 0, 4);

        Module b = model(1);
        Adam optB = new Adam(b.parameters(), 1e-2);
        StepLR schedB = new StepLR(optB, 1, 0.5);
        train(b, optB, schedB, 42, 0, 2);
        Path file = Checkpoint.file(dir);
        new Checkpoint("demo", 2, 42).add("model", b).add("opt", optB).add("sched", schedB).meta("note", "hello")
                .save(file);

        Module c = model(99); // different initialisation: everything must come from the checkpoint
        Adam optC = new Adam(c.parameters(), 1e-2);
        StepLR schedC = new StepLR(optC, 1, 0.5);
        Checkpoint ck = Checkpoint.load(file);
        assertEquals("demo", ck.example());
        assertEquals(2, ck.epoch());
        assertEquals(42, ck.seed());
        assertEquals("hello", ck.meta("note"));
        assertNull(ck.meta("absent"));
        ck.restore("model", c);
        ck.restore("opt", optC);
        ck.restore("sched", schedC);
        assertEquals(optB.paramGroups().get(0).lr(), optC.paramGroups().get(0).lr());
        train(c, optC, schedC, ck.seed(), ck.epoch(), 4);
        assertSameState(a, c);
    }

    @Test
    void moduleStateFromCheckpointOrPlainFile(@TempDir Path dir) throws IOException {
        Module m = model(3);
        Path plain = dir.resolve("plain.safetensors");
        Safetensors.save(m.stateDict(), plain);
        Path ck = dir.resolve("ck.safetensors");
        new Checkpoint("demo", 1, 0).add("model", m).add("opt", new Adam(m.parameters(), 1e-3)).save(ck);
        for (Path p : new Path[] {plain, ck}) {
            Module fresh = model(4);
            fresh.loadStateDict(Checkpoint.loadModuleState(p, null), true);
            assertSameState(m, fresh);
        }
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadModuleState(ck, "generator"));
        assertTrue(e.getMessage().contains("generator") && e.getMessage().contains("model"), e.getMessage());
        IOException notCk = assertThrows(IOException.class, () -> Checkpoint.load(plain));
        assertTrue(notCk.getMessage().contains(plain.toString()), notCk.getMessage());
    }

    @Test
    void resumableSaysWhatItFindsAndRefusesAnotherExamplesCheckpoint(@TempDir Path dir) throws IOException {
        Path file = Checkpoint.file(dir);
        var log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertNull(Checkpoint.resumable(file, "demo", null, out));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("no checkpoint at " + file), log.toString());

        History h = new History("epoch", "loss").add(1, 0.5).add(2, 0.25).add(3, 0.125);
        new Checkpoint("demo", 2, 7).add("model", model(1)).meta("history", h.toCsv()).save(file);
        Checkpoint ck = Checkpoint.resumable(file, "demo", null, out);
        assertEquals(2, ck.start(5, "epoch", out));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("continuing with epoch 3 of 5"), log.toString());
        // the history is cut to the finished epochs (exact: the CSV round trip keeps these doubles)
        assertArrayEquals(new double[] {0.5, 0.25}, ck.history(null).column("loss"), 0.0);
        // a finished run (killed after its last checkpoint) starts at its end, to write its outputs again
        assertEquals(2, ck.start(2, "epoch", out));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("holds all 2 epochs"), log.toString());
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class, () -> ck.start(1, "epoch", out));
        assertTrue(more.getMessage().contains(file + " holds 2 epochs, more than the 1 of this run"), more.getMessage());
        History fresh = new History("epoch", "loss");
        new Checkpoint("demo", 1, 7).add("model", model(1)).save(file);
        assertTrue(Checkpoint.load(file).history(fresh) == fresh, "no history metadata: the fresh one");

        IOException e = assertThrows(IOException.class, () -> Checkpoint.resumable(file, "other", null, out));
        assertTrue(e.getMessage().contains("a checkpoint of the 'demo' example, not of the 'other' example"),
                e.getMessage());
        new Checkpoint("demo", 1, 7).add("model", model(1)).meta(Checkpoint.MODE, "a").save(file);
        IOException mode = assertThrows(IOException.class, () -> Checkpoint.resumable(file, "demo", "b", out));
        assertTrue(mode.getMessage().contains("'demo' example in mode 'a', not of the 'demo' example in mode 'b'"),
                mode.getMessage());
        assertEquals(1, Checkpoint.resumable(file, "demo", "a", out).epoch());
    }

    @Test
    void wrongModelIsRefusedAndLeftUntouched(@TempDir Path dir) throws IOException {
        Module m = model(5);
        Path file = dir.resolve("ck.safetensors");
        new Checkpoint("demo", 1, 0).add("model", m).save(file);
        Generator.seedGlobal(6);
        Module other = new Sequential(new Linear(4, 8), new BatchNorm1d(8), new Linear(8, 5));
        double[] before = other.stateDict().get("2.weight").toDoubleArray();
        Checkpoint ck = Checkpoint.load(file);
        assertThrows(IllegalArgumentException.class, () -> ck.restore("model", other));
        assertArrayEquals(before, other.stateDict().get("2.weight").toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ck.restore("opt", new Adam(other.parameters(), 1e-3)));
    }

    @Test
    void badPartNamesAndFiles(@TempDir Path dir) throws IOException {
        Module m = model(7);
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("demo", 0, 0).add("a.b", m));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("demo", 0, 0).add("model", m).add("model", m));
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(junk));
        assertTrue(e.getMessage().contains("junk.safetensors"), e.getMessage());
        assertThrows(IOException.class, () -> Checkpoint.load(dir.resolve("missing.safetensors")));
    }
}
