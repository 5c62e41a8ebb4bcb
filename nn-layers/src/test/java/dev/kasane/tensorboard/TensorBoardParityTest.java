package dev.kasane.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensorboard.EventReader.Msg;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Event files written by PyTorch's own {@code SummaryWriter} ({@code src/test/python/gen_tensorboard_fixtures.py},
 * torch 1.13 with tensorboard 2.21): every record is rebuilt by Kasane's encoder from the wall time and step stored
 * in it and must be the same bytes; images, which PyTorch encodes with PIL, must hold the same pixels.
 */
class TensorBoardParityTest {

    /** The file's records, and the same reader's decoding of each as an Event. */
    private static List<byte[]> records(String run) throws IOException {
        String name = "tensorboard/" + run + ".tfevents";
        List<byte[]> r;
        try (InputStream in = TensorBoardParityTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no test resource " + name);
            }
            r = EventReader.records(in.readAllBytes(), name);
        }
        Msg theirs = Msg.parse(r.get(0));
        Msg ours = Msg.parse(Summaries.fileVersionEvent(theirs.float64(1)));
        assertEquals(List.of(1, 3, 10), theirs.fieldNumbers(), run + ": the fields of the first event");
        assertEquals(theirs.fieldNumbers(), ours.fieldNumbers());
        assertEquals(Summaries.FILE_VERSION, theirs.string(3), run + ": file_version");
        assertEquals(theirs.string(3), ours.string(3));
        assertEquals("tensorboard.summary.writer.event_file_writer", theirs.message(10).string(1));
        assertEquals(Summaries.WRITER, ours.message(10).string(1));
        return r;
    }

    private static void assertEvent(byte[] expected, long step, ProtoWriter summary) {
        Msg e = Msg.parse(expected);
        assertEquals(step, e.varint(2), "step");
        assertArrayEquals(expected, Summaries.event(e.float64(1), step, summary),
                () -> "the event of " + e.message(5).message(1).string(1));
    }

    @Test
    void scalarsHistogramsAndTextAreByteIdenticalToPyTorch() throws IOException {
        List<byte[]> r = records("main");
        assertEquals(11, r.size());
        assertEvent(r.get(1), 3, Summaries.scalar("loss/train", 0.25f));
        assertEvent(r.get(2), 0, Summaries.scalar("zero", 0f));
        assertEvent(r.get(3), 1L << 40, Summaries.scalar("big", (float) 123456.789));
        assertEvent(r.get(4), 5, Summaries.histogram("weights",
                Histogram.of(new double[] {-1, -0.5, 0, 0.25, 0.25, 2, 3.5}, 4)));
        assertEvent(r.get(5), 6, Summaries.histogram("sparse", Histogram.of(new double[] {0, 0, 8}, 8)));
        assertEvent(r.get(6), 7, Summaries.histogram("constant", Histogram.of(new double[] {2, 2}, 3)));
        assertEvent(r.get(10), 1, Summaries.text("note", "hello *world*, \u00fc"));
    }

    @Test
    void addScalarsRunsAreByteIdenticalToPyTorch() throws IOException {
        for (String run : List.of("loss_train", "loss_val")) {
            List<byte[]> r = records(run);
            assertEquals(2, r.size());
            assertEvent(r.get(1), 11, Summaries.scalar("loss", run.endsWith("train") ? 1.5f : 2.5f));
        }
    }

    @Test
    void hparamsRunIsByteIdenticalToPyTorch() throws IOException {
        List<byte[]> r = records("run1");
        assertEquals(5, r.size());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("layers", 3);
        h.put("lr", 0.01);
        h.put("opt", "adam");
        assertEvent(r.get(1), 0, Summaries.hparamsExperiment(h, List.of("acc")));
        assertSameEntries(r.get(2), Summaries.event(Msg.parse(r.get(2)).float64(1), 0, Summaries.hparamsSessionStart(h)));
        assertEvent(r.get(3), 0, Summaries.hparamsSessionEnd());
        assertEvent(r.get(4), 0, Summaries.scalar("acc", 0.75f));
    }

    /**
     * The session start events hold the same map entries ({@code HParamsPluginData.session_start_info.hparams}); the
     * order of a map's entries is unspecified (protobuf's Python writes them in hash order).
     */
    private static void assertSameEntries(byte[] theirs, byte[] ours) {
        List<List<String>> entries = new ArrayList<>();
        for (byte[] event : List.of(theirs, ours)) {
            Msg e = Msg.parse(event);
            Msg value = e.message(5).message(1);
            assertEquals("_hparams_/session_start_info", value.string(1));
            Msg plugin = value.message(9).message(1);
            assertEquals("hparams", plugin.string(1));
            Msg start = Msg.parse(plugin.bytes(2)).message(3);
            List<String> hex = new ArrayList<>();
            for (Msg entry : start.messages(1)) {
                hex.add(entry.string(1) + "=" + HexFormat.of().formatHex(entry.bytes(2)));
            }
            hex.sort(null);
            entries.add(hex);
        }
        assertEquals(3, entries.get(0).size());
        assertEquals(entries.get(0), entries.get(1));
        assertEquals(theirs.length, ours.length);
    }

    @Test
    void imagesHoldPyTorchsPixels() throws IOException {
        List<byte[]> r = records("main");
        float[] rgb = {0f, 0.5f, 1f, 0.2f, 0.4f, 0.6f, 1f, 0f, 0.3f, 0.9f, 0.1f, 0.7f, 0.25f, 0.75f, 0.05f, 0.999f, 0.001f,
            0.5f};
        Tensor image = Tensor.of(rgb, 3, 2, 3);
        assertSamePixels(r.get(7), 8, Pixels.of("rgb", image, false));
        assertSamePixels(r.get(8), 9, Pixels.of("grey", image.narrow(0, 0, 1), false));
        Tensor batch = Tensor.stack(List.of(image, image.flip(2), image.rsub(1)), 0);
        assertSamePixels(r.get(9), 10, Pixels.of("batch", batch, true).grid(SummaryWriter.GRID_COLUMNS));
    }

    /** PyTorch's image and ours have the same size and samples (PyTorch writes grey as RGB: each channel the grey). */
    private static void assertSamePixels(byte[] event, long step, Pixels ours) throws IOException {
        Msg e = Msg.parse(event);
        assertEquals(step, e.varint(2));
        Msg img = e.message(5).message(1).message(4);
        assertEquals(ours.height(), img.varint(1), "height");
        assertEquals(ours.width(), img.varint(2), "width");
        Raster theirs = decode(img.bytes(4));
        Raster mine = decode(ours.png());
        assertEquals(img.varint(3), theirs.getNumBands(), "PyTorch's colorspace is its PNG's channel count");
        assertEquals(ours.channels(), mine.getNumBands());
        for (int y = 0; y < ours.height(); y++) {
            for (int x = 0; x < ours.width(); x++) {
                for (int c = 0; c < theirs.getNumBands(); c++) {
                    int m = mine.getSample(x, y, Math.min(c, mine.getNumBands() - 1));
                    assertEquals(theirs.getSample(x, y, c), m, "sample at x " + x + ", y " + y + ", channel " + c);
                }
            }
        }
    }

    private static Raster decode(byte[] png) throws IOException {
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(png));
        return b.getRaster();
    }
}
