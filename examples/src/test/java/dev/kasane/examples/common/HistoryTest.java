package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @Test
    void csvRoundTripChartAndTruncate(@TempDir Path dir) throws IOException {
        History h = new History("epoch", "loss", "acc").add(1, 0.61234567, 0.8).add(2, 0.4, 0.85).add(3, 0.3, 0.875);
        History back = History.fromCsv(h.toCsv());
        assertEquals(h.columns(), back.columns());
        // values are kept as the CSV writes them, so the round trip is exact (tolerance 0)
        assertArrayEquals(h.column("loss"), back.column("loss"), 0.0);
        assertEquals(0.612346, h.column("loss")[0], 0.0);
        assertEquals(0.875, back.last("acc"));
        h.writeCsv(dir.resolve("m.csv"));
        assertTrue(Files.readString(dir.resolve("m.csv")).startsWith("epoch,loss,acc\n1,0.612346,0.8"));
        h.chart("t", "y", dir.resolve("c.png"), "loss", "acc");
        assertTrue(Files.size(dir.resolve("c.png")) > 1000);
        assertEquals(1, back.truncate(1).size());
        assertThrows(IllegalArgumentException.class, () -> h.add(1, 2));
        assertThrows(IllegalArgumentException.class, () -> h.column("nope"));
    }
}
