package dev.kasane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kasane.examples.common.Checkpoint;
import dev.kasane.examples.common.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static String[] capture(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new String[] {Integer.toString(status), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void unknownExampleListsTheExamples() {
        String[] r = capture("nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown example 'nope'"), r[2]);
        for (String name : new String[] {"lenet", "resnet"}) {
            assertTrue(r[2].contains("  " + name + " "), r[2]);
        }
    }

    @Test
    void helpOfAnExample() {
        String[] r = capture("lenet", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("usage: java --add-modules jdk.incubator.vector -jar examples.jar lenet"), r[1]);
        String[] bad = capture("resnet", "--optimizer");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--optimizer needs a value"), bad[2]);
    }

    @Test
    void everyRegisteredExampleHasHelp() {
        for (String name : Main.examples().keySet()) {
            String[] r = capture(name, "--help");
            assertEquals("0", r[0], name + ": " + r[2]);
            assertTrue(r[1].contains("--epochs") || r[1].contains("--out"), name + ": " + r[1]);
        }
    }

    /** The lines of stderr other than the Vector API note and log lines ("[INFO] ..."). */
    private static List<String> errorLines(String[] r) {
        return r[2].lines().filter(l -> !l.startsWith("note: running without the Vector API") && !l.startsWith("["))
                .toList();
    }

    /** Exit status 2 and exactly one line on stderr, "error: ..." containing {@code what}. */
    private static void assertOneLineError(String what, String... args) {
        String[] r = capture(args);
        List<String> lines = errorLines(r);
        assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
        assertEquals(1, lines.size(), String.join(" ", args) + ": " + r[2]);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(what), lines.get(0));
    }

    @Test
    void errorsOfTheExamplesAreOneLineAndExitTwo(@TempDir Path tmp) throws IOException {
        String out = tmp.resolve("out").toString();
        assertOneLineError("--task must be denoise, inpaint, superres, both or all, got 'nope'", "deep-image-prior", "--task", "nope",
                "--out", out);
        assertOneLineError("--size must be a multiple of 8 and >= 16, got 12", "deep-image-prior", "--size", "12",
                "--out", out);
        assertOneLineError("need --size a multiple of 8", "unet", "--size", "12", "--out", out);
        assertOneLineError("unknown option --nope (see lenet --help)", "lenet", "--nope");
        assertOneLineError("--device must be a device with a backend", "lenet", "--device", "gpu", "--out", out);
        assertOneLineError("--resume and --overwrite exclude each other", "lenet", "--resume", "--overwrite");
        String data = TestData.fashionDir(tmp);
        assertOneLineError("--batch-size 64 is larger than the 16 training images (--limit 16)", "dcgan",
                "--limit", "16", "--out", out, "--data", data == null ? TestData.SYSTEM_DIR.toString() : data);

        // a checkpoint of another example
        Path other = tmp.resolve("other");
        new Checkpoint("unet", 1, 0).save(Checkpoint.file(other));
        assertOneLineError("is a checkpoint of the 'unet' example, not of the 'lenet' example", "lenet", "--resume",
                "--out", other.toString());

        // --out that is a file, or below a file
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError("--out " + file + " is a file, not a directory", "lenet", "--out", file.toString());
        assertOneLineError("cannot create --out " + file.resolve("sub"), "unet", "--out", file.resolve("sub").toString());

        // --verbose adds the stack trace
        String[] verbose = capture("deep-image-prior", "--task", "nope", "--out", out, "--verbose");
        assertEquals("2", verbose[0]);
        assertTrue(errorLines(verbose).get(0).startsWith("error: "), verbose[2]);
        assertTrue(verbose[2].contains("\tat dev.kasane.examples."), verbose[2]);
    }

    @Test
    void unwritableOutIsOneLine(@TempDir Path tmp) throws IOException {
        Path ro = Files.createDirectory(tmp.resolve("read-only"));
        assumeTrue(ro.toFile().setWritable(false, false) && !Files.isWritable(ro), "needs a user that permissions bind");
        try {
            assertOneLineError("--out " + ro + " is not writable", "unet", "--out", ro.toString());
            assertOneLineError("cannot create --out " + ro.resolve("sub") + ": permission denied", "unet", "--out",
                    ro.resolve("sub").toString());
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void aRunWithoutResumeRefusesToOverwriteACheckpointUnlessTold(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        new Checkpoint("unet", 7, 0).save(Checkpoint.file(out));
        String[] run = {"unet", "--limit", "8", "--test-size", "4", "--size", "16", "--width", "4", "--epochs", "1",
            "--batch-size", "8", "--out", out.toString(), "--device", TestData.device()};
        assertOneLineError(Checkpoint.file(out) + " is the checkpoint of an earlier run: add --resume to continue it, "
                + "or --overwrite to start afresh", run);
        assertEquals(7, Checkpoint.load(Checkpoint.file(out)).epoch(), "left as it was");

        String[] r = capture(java.util.stream.Stream.concat(java.util.Arrays.stream(run), java.util.stream.Stream.of(
                "--overwrite")).toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        assertEquals(1, Checkpoint.load(Checkpoint.file(out)).epoch(), "replaced by the new run's");
    }

    @Test
    void helpListsOnlyTheOptionsAnExampleUses() {
        String dip = capture("deep-image-prior", "--help")[1];
        for (String unused : new String[] {"--epochs", "--batch-size", "--limit", "--data"}) {
            assertFalse(dip.contains(unused), unused + " in\n" + dip);
        }
        assertTrue(dip.contains("--iterations") && dip.contains("--overwrite") && dip.contains("--verbose"), dip);
        assertFalse(capture("unet", "--help")[1].contains("--data"));
        assertOneLineError("unknown option --epochs", "deep-image-prior", "--epochs", "3");
    }
}
