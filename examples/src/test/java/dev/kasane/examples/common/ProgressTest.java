package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainLinesEveryNStepsAndASummary() {
        var buf = new ByteArrayOutputStream();
        Progress p = new Progress(2, 5).output(new PrintStream(buf, true, StandardCharsets.UTF_8)).logEvery(2);
        assertFalse(p.isInteractive());
        p.startEpoch(0);
        for (int i = 0; i < 5; i++) {
            p.step(10, 1.0 + i);
        }
        Progress.Summary s = p.endEpoch("test acc 0.5");
        String out = buf.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals(4, lines.length, out); // steps 2, 4, 5 and the summary
        assertTrue(lines[0].startsWith("epoch 1/2  step 2/5  loss "), lines[0]);
        assertTrue(lines[0].contains("img/s") && lines[0].contains("ETA"), lines[0]);
        assertTrue(lines[3].startsWith("epoch 1/2 done: train loss 3.0000, 5 steps"), lines[3]);
        assertTrue(lines[3].endsWith(", test acc 0.5"), lines[3]);
        assertFalse(out.contains("\r"));
        assertEquals(3.0, s.meanLoss(), 1e-12);
        assertEquals(50, s.samples());
    }

    @Test
    void interactiveRedrawsOneLine() {
        var buf = new ByteArrayOutputStream();
        Progress p = new Progress(1, 3).output(new PrintStream(buf, true, StandardCharsets.UTF_8)).interactive(true);
        p.startEpoch(0);
        for (int i = 0; i < 3; i++) {
            p.step(4, 0.5);
        }
        p.endEpoch(null);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\repoch 1/1  step "), out);
        assertTrue(out.contains("step 3/3"), out);
        assertEquals(2, out.split("\n").length, out); // the redrawn line, then the summary
    }

    @Test
    void stepsWithoutALossAndUnderOneASecondShowNeitherNaNNorZeroThroughput() {
        var buf = new ByteArrayOutputStream();
        long[] now = {0};
        Progress p = new Progress(1, 4, () -> now[0]).unit("trial").logEvery(1).output(new PrintStream(buf, true,
                StandardCharsets.UTF_8));
        p.startEpoch(0);
        for (int i = 0; i < 2; i++) {
            now[0] += 25_000_000_000L; // a trial every 25 s
            p.step(1, Double.NaN);
        }
        p.endEpoch(null);
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("epoch 1/1  step 1/4  25.0 s/trial  elapsed 25.0s  ETA 1:15", lines[0]);
        assertEquals("epoch 1/1 done: 2 steps, 50.0 s, 25.0 s/trial", lines[2]);
    }

    @Test
    void durations() {
        assertEquals("7.5s", Progress.duration(7.5));
        assertEquals("2:03", Progress.duration(123));
        assertEquals("1:02:03", Progress.duration(3723));
        assertEquals("?", Progress.duration(Double.NaN));
    }
}
