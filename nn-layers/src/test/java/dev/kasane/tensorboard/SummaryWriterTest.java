package dev.kasane.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensorboard.EventReader.Msg;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API end to end: what a writer wrote, read back with the tests' own {@link EventReader}. */
class SummaryWriterTest {
    @TempDir
    Path dir;

    /** Event fields: wall_time 1, step 2, file_version 3, summary 5; the summary's one value. */
    private static Msg value(Msg event) {
        List<Msg> values = event.message(5).messages(1);
        assertEquals(1, values.size(), "one value per summary");
        return values.get(0);
    }

    private static List<Msg> events(Path runDir) throws IOException {
        List<Msg> e = EventReader.events(EventReader.eventFile(runDir));
        assertEquals(Summaries.FILE_VERSION, e.get(0).string(3), "the first event of " + runDir);
        return e.subList(1, e.size());
    }

    @Test
    void scalarsHistogramsAndTextReadBack() throws IOException {
        double before = System.currentTimeMillis() / 1e3 - 1;
        try (var tb = new SummaryWriter(dir)) {
            tb.addScalar("loss/train", 0.5, 7);
            tb.addScalar("acc", 0.0, 0);
            tb.addHistogram("w", Tensor.of(new float[] {1, 2, 2, 3, 10}, 5), 3, 3);
            tb.addText("notes", "**bold**", 2);
        }
        double after = System.currentTimeMillis() / 1e3 + 1;
        List<Msg> e = events(dir);
        assertEquals(4, e.size());
        for (Msg m : e) {
            assertTrue(m.float64(1) > before && m.float64(1) < after, "wall time " + m.float64(1));
        }
        assertEquals(7, e.get(0).varint(2));
        assertEquals("loss/train", value(e.get(0)).string(1));
        assertEquals(0.5f, value(e.get(0)).float32(2));
        assertEquals(0, e.get(1).varint(2));
        assertTrue(value(e.get(1)).has(2), "a zero scalar is written");
        Msg h = value(e.get(2)).message(5);
        assertEquals(1, h.float64(1));
        assertEquals(10, h.float64(2));
        assertEquals(5, h.float64(3));
        assertEquals(18, h.float64(4));
        assertEquals(118, h.float64(5));
        assertArrayEquals(new double[] {1, 4, 7, 10}, h.doubles(6), 0);
        assertArrayEquals(new double[] {0, 4, 0, 1}, h.doubles(7), 0);
        Msg text = value(e.get(3));
        assertEquals("notes/text_summary", text.string(1));
        assertEquals(List.of("**bold**"), text.message(8).strings(8));
        assertEquals("text", text.message(9).message(1).string(1));
    }

    @Test
    void imagesArePngsOfTheTensorsPixels() throws IOException {
        Tensor grey = Tensor.of(new float[] {0f, 0.5f, 1f, 2f, -1f, 0.999f}, 1, 2, 3);
        Tensor rgba = Tensor.ofUnsignedBytes(new byte[] {10, 20, 30, 40, 50, 60, 70, (byte) 255}, 4, 1, 2);
        Tensor batch = Tensor.full(1.0, 10, 3, 2, 2);
        try (var tb = new SummaryWriter(dir)) {
            tb.addImage("grey", grey, 1);
            tb.addImage("hw", Tensor.zeros(4, 5).toType(DType.F64), 1);
            tb.addImage("rgba", rgba, 1);
            tb.addImages("batch", batch, 2);
        }
        List<Msg> e = events(dir);
        Raster g = png(value(e.get(0)).message(4), 2, 3, 1);
        assertArrayEquals(new int[] {0, 127, 255, 255, 0, 254}, g.getSamples(0, 0, 3, 2, 0, (int[]) null),
                "x 255, clipped, truncated");
        png(value(e.get(1)).message(4), 4, 5, 1);
        Raster r = png(value(e.get(2)).message(4), 1, 2, 4);
        assertArrayEquals(new int[] {10, 30, 50, 70, 20, 40, 60, 255}, r.getPixels(0, 0, 2, 1, (int[]) null));
        // ten 2x2 images: rows of eight, the two cells after the tenth black
        Raster grid = png(value(e.get(3)).message(4), 4, 16, 3);
        assertEquals(255, grid.getSample(15, 1, 0));
        assertEquals(255, grid.getSample(3, 3, 2));
        assertEquals(0, grid.getSample(4, 2, 1));
        assertEquals(0, grid.getSample(15, 3, 0));
    }

    /** The PNG of an {@code Image} message, checked against the message's height, width and colour space. */
    private static Raster png(Msg image, int height, int width, int channels) throws IOException {
        assertEquals(height, image.varint(1));
        assertEquals(width, image.varint(2));
        assertEquals(channels, image.varint(3));
        Raster r = ImageIO.read(new ByteArrayInputStream(image.bytes(4))).getRaster();
        assertEquals(height, r.getHeight());
        assertEquals(width, r.getWidth());
        assertEquals(channels, r.getNumBands());
        return r;
    }

    @Test
    void addScalarsAndHparamsWriteRunsOfTheirOwn() throws IOException {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", 1e-3);
        h.put("optimizer", "adam");
        h.put("bn", true);
        try (var tb = new SummaryWriter(dir)) {
            tb.addScalars("loss/all", Map.of("train", 1.0, "val", 2.0), 4);
            tb.addHparams(h, Map.of("acc", 0.9), "trial-1");
        }
        assertEquals(2f, value(events(dir.resolve("loss_all_val")).get(0)).float32(2));
        Msg train = events(dir.resolve("loss_all_train")).get(0);
        assertEquals("loss/all", value(train).string(1));
        assertEquals(4, train.varint(2));
        List<Msg> run = events(dir.resolve("trial-1"));
        assertEquals(4, run.size());
        Msg experiment = hparams(run.get(0), "_hparams_/experiment").message(2);
        List<String> names = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        for (Msg info : experiment.messages(4)) {
            names.add(info.string(1));
            types.add(info.varint(4));
        }
        assertEquals(List.of("lr", "optimizer", "bn"), names, "in the map's order");
        assertEquals(List.of(3L, 1L, 2L), types, "FLOAT64, STRING, BOOL");
        assertEquals("acc", experiment.messages(5).get(0).message(1).string(2));
        Map<String, Msg> start = new LinkedHashMap<>();
        for (Msg entry : hparams(run.get(1), "_hparams_/session_start_info").message(3).messages(1)) {
            start.put(entry.string(1), entry.message(2));
        }
        assertEquals(1e-3, start.get("lr").float64(2));
        assertEquals("adam", start.get("optimizer").string(3));
        assertEquals(1, start.get("bn").varint(4));
        assertEquals(1, hparams(run.get(2), "_hparams_/session_end_info").message(4).varint(1), "STATUS_SUCCESS");
        assertEquals("acc", value(run.get(3)).string(1));
        assertEquals(0.9f, value(run.get(3)).float32(2));
    }

    /** The hparams plugin's content of an event's value. */
    private static Msg hparams(Msg event, String tag) {
        Msg v = value(event);
        assertEquals(tag, v.string(1));
        Msg plugin = v.message(9).message(1);
        assertEquals("hparams", plugin.string(1));
        return Msg.parse(plugin.bytes(2));
    }

    @Test
    void aTensorIsLoggedAsItWasAtTheCall() throws IOException {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3);
        try (var tb = new SummaryWriter(dir)) {
            tb.addHistogram("w", w, 0);
            w.addInPlace(100);
        }
        assertEquals(6, value(events(dir).get(0)).message(5).float64(4), "the sum before the update");
    }

    @Test
    void flushLeavesAReadableFileWhileTheWriterIsOpen() throws IOException {
        try (var tb = new SummaryWriter(dir)) {
            for (int i = 0; i < 3000; i++) {
                tb.addScalar("x", i, i);
            }
            tb.flush();
            List<Msg> e = events(dir);
            assertEquals(3000, e.size(), "more events than the queue holds, all written");
            assertEquals(2999, e.get(2999).varint(2));
        }
    }

    @Test
    void eventsReachTheFileWithoutAFlush() throws Exception {
        try (var tb = new SummaryWriter(dir)) {
            tb.addScalar("x", 1, 7);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (EventReader.events(EventReader.eventFile(dir)).size() < 2) {   // the file's version, the scalar
                assertTrue(System.nanoTime() < deadline, "the event was not written within 20 s");
                Thread.sleep(10);
            }
            assertEquals(7, events(dir).get(0).varint(2));
        }
    }

    @Test
    void eventsOfSeveralThreadsAreWholeAndInEachThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 500;
        try (var tb = new SummaryWriter(dir)) {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tag = "t" + t;
                ts.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        tb.addScalar(tag, i, i);
                    }
                }));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join();
            }
        }
        Map<String, Long> next = new LinkedHashMap<>();
        List<Msg> e = events(dir);
        assertEquals(threads * perThread, e.size());
        for (Msg m : e) {
            String tag = value(m).string(1);
            long expected = next.getOrDefault(tag, 0L);
            assertEquals(expected, m.varint(2), tag + "'s steps in order");
            assertEquals(expected, value(m).float32(2), 0f);
            next.put(tag, expected + 1);
        }
    }

    @Test
    void badInputIsRejectedAtTheCallNamingTheTagAndTensor() throws IOException {
        try (var tb = new SummaryWriter(dir)) {
            var e = assertThrows(IllegalArgumentException.class, () -> tb.addImage("img", Tensor.zeros(2, 4, 4), 0));
            assertEquals("addImage(img): expected [C, H, W] or [H, W], C in {1, 3, 4}, U8 or floating point, got [2, 4, 4] "
                    + "F32 cpu", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tb.addImages("b", Tensor.zeros(3, 4, 4), 0));
            assertTrue(e.getMessage().startsWith("addImages(b): expected [N, C, H, W] with N >= 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tb.addImage("i64", Tensor.arange(4).reshape(2, 2), 0));
            assertTrue(e.getMessage().endsWith("got [2, 2] I64 cpu"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> tb.addImage("nan", Tensor.of(new float[] {0, Float.NaN}, 1, 2), 0));
            assertEquals("addImage(nan): 1 of 2 values are NaN or infinite in [1, 2] F32 cpu", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> tb.addHistogram("h", Tensor.of(new float[] {1, Float.POSITIVE_INFINITY}, 2), 0));
            assertEquals("addHistogram(h): needs at least one value and only finite ones, got [2] F32 cpu with 1 NaN or "
                    + "infinite values", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tb.addHistogram("h", Tensor.zeros(0), 0));
            e = assertThrows(IllegalArgumentException.class, () -> tb.addHistogram("h", Tensor.zeros(3), 0, 0));
            assertEquals("addHistogram(h): bins must be >= 1, got 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tb.addHparams(Map.of("x", List.of(1)), Map.of(), "r"));
            assertTrue(e.getMessage().startsWith("addHparams: hyperparameter 'x' must be a number, string or boolean"));
            e = assertThrows(IllegalArgumentException.class, () -> tb.addHparams(Map.of(), Map.of(), "../escape"));
            assertTrue(e.getMessage().contains("run name '../escape' must name a directory inside"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tb.addScalar("", 1, 0));
        }
        assertEquals(0, events(dir).size(), "nothing was written for rejected calls");
        assertEquals(1, Files.list(dir).count(), "no run directory was created");
    }

    @Test
    void aClosedWriterRefusesEventsAndClosesOnce() throws IOException {
        var tb = new SummaryWriter(dir);
        tb.close();
        tb.close();
        var e = assertThrows(IllegalStateException.class, () -> tb.addScalar("x", 1, 0));
        assertEquals("SummaryWriter: closed (log directory " + dir + ")", e.getMessage());
    }

    /**
     * A process killed while it logs leaves whole records: every record before the end passes its CRCs, and at most
     * one record at the end is cut short (which TensorBoard's reader skips as not yet written).
     */
    @Test
    void aKilledProcessLeavesWholeRecords() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LogUntilKilled.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (eventBytes() < 50_000) {
                assertTrue(p.isAlive(), () -> "the logging process ended: " + output(p));
                assertTrue(System.nanoTime() < deadline, "the logging process wrote too little in 60 s");
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
        EventReader.Records r = EventReader.wholeRecords(EventReader.eventFile(dir));
        assertTrue(r.data().size() > 1000, "records: " + r.data().size());
        assertTrue(r.trailingBytes() < 64, "at most one cut record at the end: " + r.trailingBytes() + " bytes");
        for (int i = 1; i < r.data().size(); i++) {
            assertEquals(i - 1, Msg.parse(r.data().get(i)).varint(2), "the steps follow each other");
        }
    }

    private long eventBytes() throws IOException {
        try (var s = Files.list(dir)) {
            return s.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The process of {@link #aKilledProcessLeavesWholeRecords}: logs scalars until it is killed. */
    static final class LogUntilKilled {
        public static void main(String[] args) throws IOException {
            try (var tb = new SummaryWriter(Path.of(args[0]))) {
                for (long step = 0; ; step++) {
                    tb.addScalar("loss", 1.0 / (step + 1), step);
                }
            }
        }
    }
}
