package dev.kasane.examples.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.TestData;
import dev.kasane.selection.ArchitectureSearch.Candidate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of the tune example in --quick mode on a few hundred images (seconds). */
class TuneExampleTest {
    private static TuneExample.Result run(Path out, String data, ByteArrayOutputStream log, String... extra)
            throws IOException {
        return TestData.runOnFashion(TuneExample.parser(), TuneExample::run, data, log, List.of("--out", out.toString(),
                "--quick", "--limit", "300", "--test-limit", "200", "--budget", "20000"), extra);
    }

    @Test
    void searchesWritesTablesAndResumesWithoutRetraining(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        Path a = tmp.resolve("a");
        var log = new ByteArrayOutputStream();
        TuneExample.Result r = run(a, data, log);
        assertEquals(2, r.grid().results().size(), "a 2x1 grid");
        assertEquals(4, r.evolution().size());
        assertEquals(4, r.random().size());
        assertTrue(r.evolution().stream().allMatch(c -> c.parameters() <= 20000), r.evolution().toString());
        assertTrue(r.evolution().subList(2, 4).stream().allMatch(c -> c.parent() >= 0), "mutations after the population");
        assertEquals(2, r.comparison().size());
        for (TuneExample.Scored s : r.comparison()) {
            assertTrue(s.testAccuracy() >= 0 && s.testAccuracy() <= 1, s.toString()); // 300 images, one epoch: no accuracy bar
            assertTrue(s.latencyMs() > 0, s.toString());
        }
        assertEquals(61706, r.comparison().get(0).parameters());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("step 14/14") && !printed.contains("NaN") && !printed.contains(" 0 trial/s"), printed);
        TestData.assertNonEmptyFiles(a, "grid.csv", "grid.md", "nas.csv", "pareto.png", "summary.md",
                TuneExample.TRIALS_FILE);
        // 2 configs x 2 folds + 2 x 4 candidates + 2 final trainings
        assertEquals(14, Files.readAllLines(a.resolve(TuneExample.TRIALS_FILE)).size());
        String summary = Files.readString(a.resolve("summary.md"));
        assertTrue(summary.contains("regularized evolution") && summary.contains("LeNet-5"), summary);

        // resumed after all trials: nothing is trained again, the same results come back
        var log2 = new ByteArrayOutputStream();
        TuneExample.Result r2 = run(a, data, log2, "--resume");
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("resuming: 14 finished trials"),
                log2.toString(StandardCharsets.UTF_8));
        assertEquals(r.evolution().stream().map(Candidate::score).toList(),
                r2.evolution().stream().map(Candidate::score).toList());
        assertEquals(14, Files.readAllLines(a.resolve(TuneExample.TRIALS_FILE)).size());

        // a run with the log of an earlier one in --out refuses without --resume or --overwrite
        var log3 = new ByteArrayOutputStream();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> run(a, data, log3));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    }

    @Test
    void gridTrialsInParallelGiveTheSameTableAsOneAtATime(@TempDir Path tmp) throws IOException {
        String data = TestData.fashionDir(tmp);
        var log = new ByteArrayOutputStream();
        run(tmp.resolve("one"), data, log, "--parallel", "1");
        run(tmp.resolve("two"), data, log, "--parallel", "2");
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("grid search: 4 trials, 1 at once") && out.contains("grid search: 4 trials, 2 at once"),
                out);
        assertEquals(Files.readString(tmp.resolve("one/grid.csv")), Files.readString(tmp.resolve("two/grid.csv")),
                "every fold's accuracy, bit for bit");
    }
}
