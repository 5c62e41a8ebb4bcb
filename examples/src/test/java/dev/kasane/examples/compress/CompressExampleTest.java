package dev.kasane.examples.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.examples.common.TestData;
import dev.kasane.examples.common.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke test of the compress example on a few hundred images (seconds). */
class CompressExampleTest {
    private static TestData.SmokeRuns<CompressExample.Result> runs(Path tmp) throws IOException {
        return new TestData.SmokeRuns<>(tmp, TestData.fashionDir(tmp), CompressExample.parser(), CompressExample::run,
                List.of("--limit", "512", "--test-limit", "256", "--batch-size", "32", "--log-every", "8",
                        "--sparsities", "0.5,0.8", "--calibration-batches", "4", "--latency-batch", "64",
                        "--student-epochs", "1"));
    }

    @Test
    void compressesLeNetAndReusesItAsTeacher(@TempDir Path tmp) throws IOException {
        var runs = runs(tmp);
        TestData.Run<CompressExample.Result> first = runs.run("a", "--epochs", "2");
        CompressExample.Result r = first.result();
        Path a = first.out();
        assertEquals(7, r.rows().size(), r.rows().toString());
        CompressExample.Row f = r.row("float32");
        CompressExample.Row ptq = r.row("int8 PTQ");
        assertTrue(f.accuracy() > 0.4, "float accuracy " + f.accuracy());
        assertTrue(ptq.accuracy() > f.accuracy() - 0.1, "PTQ " + ptq.accuracy() + " vs float " + f.accuracy());
        assertTrue(r.row("int8 QAT").accuracy() > f.accuracy() - 0.1, r.rows().toString());
        // int8 weights and float32 biases: about a quarter of the float file
        assertTrue(ptq.bytes() < 0.35 * f.bytes(), ptq.bytes() + " vs " + f.bytes());
        assertTrue(r.row("50% conv channels").bytes() < f.bytes());
        assertEquals(3, r.sparsity().size());
        for (String file : new String[] {"compress.md", "results.csv", "sparsity.png", "sparsity.csv", "curves.png",
            CompressExample.FLOAT_FILE, "int8-ptq.safetensors", "int8-qat.safetensors", "pruned.safetensors",
            "student-distilled.safetensors"}) {
            assertTrue(Files.size(a.resolve(file)) > 0, file);
        }
        String table = Files.readString(a.resolve("compress.md"));
        assertTrue(table.contains("| int8 PTQ (minmax) |"), table);
        assertTrue(first.log().contains("| student CNN distilled |"));

        TestData.Run<CompressExample.Result> taught = runs.run("b", "--teacher",
                a.resolve(CompressExample.FLOAT_FILE).toString(), "--observer", "percentile", "--epochs", "2");
        assertEquals(f.accuracy(), taught.result().row("float32").accuracy(), 0.0,
                "the teacher is loaded, not trained");
        assertTrue(!taught.log().contains("epoch 1/2 done"), "no float training with --teacher");

        UsageException e = assertThrows(UsageException.class, () -> runs.run("c", "--sparsities", "0.9,0.5"));
        assertTrue(e.getMessage().contains("--sparsities"), e.getMessage());
    }
}
