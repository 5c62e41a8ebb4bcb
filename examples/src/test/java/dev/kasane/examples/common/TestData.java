package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Data for the smoke tests: the real Fashion-MNIST when it is installed (CI installs it), otherwise a tiny
 * synthetic set in Fashion-MNIST's IDX layout whose classes are easy to learn.
 */
public final class TestData {
    /** Where Debian's dataset-fashion-mnist installs the files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private TestData() {
    }

    /**
     * The {@code --device} of the smoke tests: the {@code kasane.device} system property when set (examples/pom.xml
     * runs them a second time with {@code -Dkasane.device=opencl:0}), else {@code cpu}.
     */
    public static String device() {
        return System.getProperty("kasane.device", "cpu");
    }

    /**
     * Runs {@code example} on Fashion-MNIST for a smoke test: its command line is {@code options}, {@code --device}
     * {@link #device()} unless {@code options} name the device, {@code --data data} unless {@code data} is null (see
     * {@link #fashionDir}), then {@code extra}; its output goes to {@code log}.
     */
    public static <R> R runOnFashion(Args.Parser parser, Example.Runner<R> example, String data, ByteArrayOutputStream log,
            List<String> options, String... extra) throws IOException {
        List<String> argv = new ArrayList<>(options);
        if (!options.contains("--device")) {
            argv.addAll(List.of("--device", device()));
        }
        if (data != null) {
            argv.addAll(List.of("--data", data));
        }
        argv.addAll(List.of(extra));
        return example.run(parser.parse(argv.toArray(String[]::new)), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /**
     * An example's smoke runs on a Fashion-MNIST directory in a test's temporary directory {@code tmp}: each run
     * writes to its own {@code --out} there and keeps its log. The command line is that of {@link #runOnFashion}.
     *
     * @param data the {@code --data} value (see {@link #fashionDir}), or null for the default lookup
     * @param options the options of every run
     */
    public record SmokeRuns<R>(Path tmp, String data, Args.Parser parser, Example.Runner<R> runner,
                               List<String> options) {
        /** Runs the example with {@code --out tmp/out} and then {@code extra}. */
        public Run<R> run(String out, String... extra) throws IOException {
            Path dir = tmp.resolve(out);
            var log = new ByteArrayOutputStream();
            List<String> argv = new ArrayList<>(options);
            argv.addAll(List.of("--out", dir.toString()));
            R result = runOnFashion(parser, runner, data, log, argv, extra);
            return new Run<>(result, dir, log.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * One smoke run.
     *
     * @param result what the example returned
     * @param out its {@code --out}
     * @param log what it printed
     */
    public record Run<R>(R result, Path out, String log) {
    }

    /**
     * The state a kill leaves just after a finished run's last checkpoint was renamed into place: a copy of the run's
     * output directory {@code finished} at {@code killed} holding only its checkpoints (files named
     * {@value Checkpoint#FILE_NAME}, in any subdirectory) and the files {@code alsoKeep} (relative paths: outputs
     * of earlier epochs, which such a kill leaves in place).
     */
    public static void keepOnlyCheckpoints(Path finished, Path killed, String... alsoKeep) throws IOException {
        List<Path> keep = new ArrayList<>();
        try (var files = Files.walk(finished)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                Path rel = finished.relativize(f);
                if (f.getFileName().toString().equals(Checkpoint.FILE_NAME) || List.of(alsoKeep).contains(rel.toString())) {
                    keep.add(rel);
                }
            });
        }
        for (Path rel : keep) {
            Files.createDirectories(killed.resolve(rel).getParent());
            Files.copy(finished.resolve(rel), killed.resolve(rel));
        }
    }

    /** Asserts that each of {@code files} (relative paths) exists in {@code dir} and is not empty. */
    public static void assertNonEmptyFiles(Path dir, String... files) throws IOException {
        for (String f : files) {
            assertTrue(Files.isRegularFile(dir.resolve(f)) && Files.size(dir.resolve(f)) > 0, f + " in " + dir);
        }
    }

    /**
     * Asserts that every value of the {@code columns} of {@code history} (losses, say) is finite and in
     * {@code [low, high)}.
     */
    public static void assertColumnsIn(History history, double low, double high, String... columns) {
        for (String c : columns) {
            for (double v : history.column(c)) {
                assertTrue(Double.isFinite(v) && v >= low && v < high, c + " = " + v + ", outside [" + low + ", "
                        + high + ")");
            }
        }
    }

    /** Asserts that each of {@code files} (relative paths) has the same bytes in {@code actual} as in {@code expected}. */
    public static void assertSameFiles(Path expected, Path actual, String... files) throws IOException {
        for (String f : files) {
            assertTrue(Files.exists(actual.resolve(f)), f + " is missing from " + actual);
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                    f + " differs from the uninterrupted run's");
        }
    }

    /**
     * Asserts that the checkpoints in the output directories {@code expected} and {@code actual} hold the same
     * {@code modules} (the same keys, every value within {@code tolerance}), e.g. an uninterrupted run's and a resumed
     * one's.
     */
    public static void assertSameModules(Path expected, Path actual, float tolerance, String... modules)
            throws IOException {
        for (String m : modules) {
            Map<String, Tensor> wa = Checkpoint.loadModuleState(Checkpoint.file(expected), m);
            Map<String, Tensor> wb = Checkpoint.loadModuleState(Checkpoint.file(actual), m);
            assertEquals(wa.keySet(), wb.keySet(), m);
            for (String k : wa.keySet()) {
                assertArrayEquals(wa.get(k).toFloatArray(), wb.get(k).toFloatArray(), tolerance, m + " " + k);
            }
        }
    }

    /**
     * The {@code --data} value for a test: null (the default lookup) when the real Fashion-MNIST is installed, else
     * a synthetic set written under {@code tmp}.
     */
    public static String fashionDir(Path tmp) throws IOException {
        if (Files.isRegularFile(SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(SYSTEM_DIR.resolve("t10k-labels-idx1-ubyte.gz"))) {
            return null;
        }
        Path dir = tmp.resolve("synthetic-fashion-mnist");
        writeSynthetic(dir, 1024, 256, 0);
        return dir.toString();
    }

    /**
     * Writes the four gzip IDX files of a synthetic 10-class set: class {@code c} is a bright bar whose row and
     * column depend on {@code c}, on a noisy background.
     */
    public static void writeSynthetic(Path dir, int nTrain, int nTest, long seed) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        write(dir, "train", nTrain, rnd);
        write(dir, "t10k", nTest, rnd);
    }

    private static void write(Path dir, String prefix, int n, Random rnd) throws IOException {
        byte[] images = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(10);
            labels[i] = (byte) c;
            int base = i * 28 * 28;
            for (int p = 0; p < 28 * 28; p++) {
                images[base + p] = (byte) rnd.nextInt(60);
            }
            int row = 2 + 2 * c;
            boolean vertical = c % 2 == 1;
            for (int k = 4; k < 24; k++) {
                for (int t = 0; t < 3; t++) {
                    int r = vertical ? k : row + t;
                    int col = vertical ? row + t : k;
                    images[base + r * 28 + col] = (byte) (200 + rnd.nextInt(56));
                }
            }
        }
        idx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x0803, new int[] {n, 28, 28}, images);
        idx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x0801, new int[] {n}, labels);
    }

    private static void idx(Path file, int magic, int[] dims, byte[] body) throws IOException {
        try (OutputStream f = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(f))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(body);
        }
    }
}
