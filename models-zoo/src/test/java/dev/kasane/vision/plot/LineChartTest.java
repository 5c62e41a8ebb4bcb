package dev.kasane.vision.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.vision.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void niceTicks() {
        assertArrayEquals(new double[] {0, 1, 0.2}, LineChart.niceTicks(0.03, 0.97, 6), 1e-12);
        assertArrayEquals(new double[] {0, 10, 2}, LineChart.niceTicks(1, 10, 8), 1e-12);
        assertArrayEquals(new double[] {0.25, 2.25, 0.25}, LineChart.niceTicks(0.43, 2.1, 8), 1e-12);
        double[] flat = LineChart.niceTicks(5, 5, 6);
        assertTrue(flat[0] < 5 && flat[1] > 5);
        assertEquals("0.2", LineChart.format(0.2, 0.2));
        assertEquals("0.25", LineChart.format(0.25, 0.25));
        assertEquals("3", LineChart.format(3, 1));
        assertEquals("0.0", LineChart.format(-1e-17, 0.1));
    }

    @Test
    void rendersAndSavesPng() throws IOException {
        double[] loss = {2.1, 1.2, 0.8, 0.62, 0.55, 0.5, 0.47, 0.45, 0.44, 0.43};
        double[] acc = {0.55, 0.7, 0.78, 0.81, 0.83, 0.85, 0.86, Double.NaN, 0.875, 0.88};
        Path p = tmp.resolve("charts/curves.png");
        LineChart chart = new LineChart("LeNet-5 on Fashion-MNIST", "epoch", "value")
                .addSeries("train loss", loss)
                .addSeries("test accuracy", List.of(0.55, 0.7, 0.78, 0.81, 0.83, 0.85, 0.86, 0.87, 0.875, 0.88))
                .addSeries("accuracy with a gap", acc);
        chart.save(p);
        assertEquals(Fixtures.ordinaryPermissions(p.getParent()), Fixtures.permissions(p));
        BufferedImage img = ImageIO.read(p.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(500, img.getHeight());
        // the series colours are present
        boolean blue = false;
        boolean orange = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                blue |= rgb == 0x1f77b4;
                orange |= rgb == 0xff7f0e;
            }
        }
        assertTrue(blue && orange);
        String keep = System.getProperty("kasane.test.keepImages");
        if (keep != null) {
            Files.copy(p, Path.of(keep).resolve("curves.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThrows(IllegalStateException.class, () -> new LineChart("", "", "").render());
        assertThrows(IllegalArgumentException.class, () -> chart.addSeries("bad", new double[] {1}, new double[] {1, 2}));
        new LineChart(null, null, null).addSeries("one point", new double[] {3}).size(300, 200).render();
    }

    /** Points are dots, not joined: between two far-apart points the row they share has no series colour. */
    @Test
    void pointsAreNotJoined() {
        BufferedImage img = new LineChart("scatter", "x", "y").addPoints("two points", new double[] {2, 8},
                new double[] {5, 5}).addSeries("line", new double[] {0, 10}, new double[] {0, 10}).markers(false)
                .render();
        int bestRow = -1;
        int bestCount = 0;
        int[] span = new int[2];
        for (int y = 0; y < img.getHeight(); y++) {
            int count = 0;
            int first = -1;
            int last = -1;
            for (int x = 0; x < img.getWidth(); x++) {
                if (isBlue(img.getRGB(x, y))) {
                    count++;
                    first = first < 0 ? x : first;
                    last = x;
                }
            }
            if (count > bestCount) {
                bestCount = count;
                bestRow = y;
                span[0] = first;
                span[1] = last;
            }
        }
        assertTrue(bestRow >= 0, "the points are drawn");
        assertTrue(span[1] - span[0] > 200, "two dots far apart: " + span[0] + ".." + span[1]);
        assertTrue(bestCount <= 20, "only the two dots on their row, no line between them: " + bestCount + " pixels");
    }

    /** A series along the top of the plot, where the legend used to be drawn, is visible along its whole length. */
    @Test
    void legendHidesNoData() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] high = new double[x.length];
        java.util.Arrays.fill(high, 9); // near the top of the y range [0, 10]
        BufferedImage img = new LineChart("legend", "epoch", "value").addSeries("a high series", x, high)
                .addSeries("rising", x, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 10}).markers(false).render();
        // the row where the first series (blue) is drawn: the one with the most blue pixels
        int bestRow = -1;
        int bestCount = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            int count = 0;
            for (int xx = 0; xx < img.getWidth(); xx++) {
                count += isBlue(img.getRGB(xx, y)) ? 1 : 0;
            }
            if (count > bestCount) {
                bestCount = count;
                bestRow = y;
            }
        }
        // between its first and last blue pixel, nothing but the crossing series interrupts it
        int first = -1;
        int gap = 0;
        int maxGap = 0;
        for (int xx = 0; xx < img.getWidth(); xx++) {
            if (isBlue(img.getRGB(xx, bestRow))) {
                if (first >= 0) {
                    maxGap = Math.max(maxGap, gap);
                }
                first = first < 0 ? xx : first;
                gap = 0;
            } else if (first >= 0) {
                gap++;
            }
        }
        assertTrue(bestCount > 500, "the high series spans the plot: " + bestCount + " blue pixels in row " + bestRow);
        assertTrue(maxGap <= 8, "the high series is hidden over " + maxGap + " pixels of row " + bestRow);
    }

    private static boolean isBlue(int argb) {
        int r = argb >> 16 & 0xFF;
        int g = argb >> 8 & 0xFF;
        int b = argb & 0xFF;
        return Math.abs(r - 0x1f) + Math.abs(g - 0x77) + Math.abs(b - 0xb4) < 60;
    }
}
