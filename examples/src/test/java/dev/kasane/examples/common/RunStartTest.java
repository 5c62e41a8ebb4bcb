package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Linear;
import dev.kasane.optim.Adam;
import dev.kasane.optim.StepLR;
import dev.kasane.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStartTest {
    private static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static Args args(Path dir, String... extra) {
        String[] argv = new String[extra.length + 2];
        argv[0] = "--out";
        argv[1] = dir.toString();
        System.arraycopy(extra, 0, argv, 2, extra.length);
        return Args.parser("demo", "A demo.").parse(argv);
    }

    @Test
    void aFreshRunStartsAtZeroWithTheSeedAndRestoresNothing(@TempDir Path dir) throws IOException {
        RunStart from = RunStart.of(args(dir, "--seed", "7"), Checkpoint.file(dir), null, 3, "epoch", LOG);
        assertFalse(from.resumed());
        assertEquals(0, from.epoch());
        assertEquals(7, from.seed());
        History fresh = new History("epoch", "loss");
        Linear m = new Linear(2, 2);
        float[] before = m.weight().toFloatArray();
        assertTrue(fresh == from.restore(new CheckpointParts().add("model", m), fresh));
        assertArrayEquals(before, m.weight().toFloatArray(), 0f);
    }

    @Test
    void aResumedRunRestoresEveryPartTheHistoryAndTheSeed(@TempDir Path dir) throws IOException {
        Generator.seedGlobal(1);
        Linear m = new Linear(3, 2);
        Adam opt = new Adam(m.parameters(), 0.1);
        StepLR sched = new StepLR(opt, 1, 0.5);
        m.forward(Tensor.randn(4, 3)).sum().backward();
        opt.step();
        sched.step();
        CheckpointParts parts = new CheckpointParts().add("model", m).add("opt", opt).add("schedule", sched);
        RunStart first = RunStart.of(args(dir, "--seed", "5"), Checkpoint.file(dir), "fast", 4, "epoch", LOG);
        first.save(parts, 2, new History("epoch", "loss").add(1, 0.5).add(2, 0.25));
        Checkpoint written = Checkpoint.load(Checkpoint.file(dir));
        assertEquals("fast", written.meta(Checkpoint.MODE));
        assertEquals(List.of("model"), written.modules());

        Generator.seedGlobal(2);
        Linear m2 = new Linear(3, 2);
        Adam opt2 = new Adam(m2.parameters(), 0.1);
        StepLR sched2 = new StepLR(opt2, 1, 0.5);
        RunStart resumed = RunStart.of(args(dir, "--seed", "9", "--resume"), Checkpoint.file(dir), "fast", 4, "epoch",
                LOG);
        assertTrue(resumed.resumed());
        assertEquals(2, resumed.epoch());
        assertEquals(5, resumed.seed(), "the checkpoint's seed, not --seed");
        History h = resumed.restore(new CheckpointParts().add("model", m2).add("opt", opt2).add("schedule", sched2),
                new History("epoch", "loss"));
        assertArrayEquals(new double[] {0.5, 0.25}, h.column("loss"), 0.0);
        assertArrayEquals(m.weight().toFloatArray(), m2.weight().toFloatArray(), 0f);
        assertEquals(sched.stateDict(), sched2.stateDict());
        assertEquals(opt.stateDict().params(), opt2.stateDict().params());
        assertEquals(opt.stateDict().tensors().keySet(), opt2.stateDict().tensors().keySet());
        for (String k : opt.stateDict().tensors().keySet()) {
            assertArrayEquals(opt.stateDict().tensors().get(k).toFloatArray(),
                    opt2.stateDict().tensors().get(k).toFloatArray(), 0f, k);
        }

        IOException other = assertThrows(IOException.class, () -> RunStart.of(args(dir, "--resume"),
                Checkpoint.file(dir), "slow", 4, "epoch", LOG));
        assertTrue(other.getMessage().contains("in mode 'fast'"), other.getMessage());
    }

    @Test
    void aPartNameIsUsedOnce() {
        Linear m = new Linear(2, 2);
        CheckpointParts parts = new CheckpointParts().add("model", m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parts.add("model", m));
        assertTrue(e.getMessage().contains("'model' used twice"), e.getMessage());
    }

    @Test
    void runEpochsRunsTheEpochsLeftEachReseededOrFinishedWhenNoneAre(@TempDir Path dir) throws IOException {
        RunStart from = new RunStart(Checkpoint.file(dir), "demo", null, null, 1, 9);
        List<String> calls = new java.util.ArrayList<>();
        int run = from.runEpochs(args(dir), 3, 2, LOG, (epoch, progress, tb) -> {
            calls.add("epoch " + epoch + " " + Tensor.rand(1).item());
            progress.step(1, 0.5);
            progress.endEpoch(null);
        }, () -> calls.add("finished"));
        assertEquals(2, run);
        Seeds.startEpoch(9, 2);
        assertEquals(List.of("epoch 1", "epoch 2 " + Tensor.rand(1).item()), List.of(calls.get(0).substring(0, 7),
                calls.get(1)), "epoch 2 draws from the generator Seeds.startEpoch(seed, 2) set");
        RunStart done = new RunStart(Checkpoint.file(dir), "demo", null, null, 3, 9);
        assertEquals(0, done.runEpochs(args(dir), 3, 2, LOG, (epoch, progress, tb) -> calls.add("again"),
                () -> calls.add("finished")));
        assertEquals("finished", calls.get(2));
        assertEquals(3, calls.size());
    }
}
