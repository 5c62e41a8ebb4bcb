package dev.kasane.examples.superres;

import dev.kasane.autograd.Tensor;
import dev.kasane.examples.common.Plots;
import dev.kasane.vision.io.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG of labelled crops side by side: one row per image (its name above it), one column per method (its label at
 * the top), each crop enlarged {@code zoom} times with nearest-neighbour pixels so that the pixels stay visible.
 */
final class ComparisonSheet {
    private static final int GAP = 6;
    private static final int LABEL_HEIGHT = 20;

    private ComparisonSheet() {
    }

    /**
     * Writes the sheet.
     *
     * @param columns the column labels
     * @param rowNames a caption per row
     * @param rows per row, one RGB crop {@code [3, h, w]} in [0, 1] per column, all of one size
     * @param zoom the enlargement
     */
    static void write(List<String> columns, List<String> rowNames, List<List<Tensor>> rows, int zoom, Path file)
            throws IOException {
        int h = rows.get(0).get(0).size(1) * zoom;
        int w = rows.get(0).get(0).size(2) * zoom;
        int width = GAP + columns.size() * (w + GAP);
        int height = LABEL_HEIGHT + rows.size() * (LABEL_HEIGHT + h + GAP);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            FontMetrics fm = g.getFontMetrics();
            for (int c = 0; c < columns.size(); c++) {
                String label = columns.get(c);
                g.drawString(label, GAP + c * (w + GAP) + (w - fm.stringWidth(label)) / 2, LABEL_HEIGHT - 5);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int r = 0; r < rows.size(); r++) {
                int top = LABEL_HEIGHT + r * (LABEL_HEIGHT + h + GAP);
                g.drawString(rowNames.get(r), GAP, top + LABEL_HEIGHT - 5);
                for (int c = 0; c < columns.size(); c++) {
                    BufferedImage crop = Images.toBufferedImage(rows.get(r).get(c).clamp(0, 1));
                    g.drawImage(crop, GAP + c * (w + GAP), top + LABEL_HEIGHT, w, h, null);
                }
            }
        } finally {
            g.dispose();
        }
        Plots.writePng(sheet, file);
    }

    /**
     * The top-left corner {@code {y, x}} of the {@code size x size} window of {@code luma} ({@code [1, H, W]}) with the
     * most variance, among windows on a grid of step {@code size / 4}: where the detail is.
     */
    static int[] detailedWindow(Tensor luma, int size) {
        int hh = luma.size(1);
        int ww = luma.size(2);
        float[] v = luma.contiguous().toFloatArray();
        int step = Math.max(1, size / 4);
        int[] best = {0, 0};
        double bestVar = -1;
        for (int y = 0; y + size <= hh; y += step) {
            for (int x = 0; x + size <= ww; x += step) {
                double s = 0;
                double s2 = 0;
                for (int i = y; i < y + size; i++) {
                    for (int j = x; j < x + size; j++) {
                        double p = v[i * ww + j];
                        s += p;
                        s2 += p * p;
                    }
                }
                double n = (double) size * size;
                double var = s2 / n - (s / n) * (s / n);
                if (var > bestVar) {
                    bestVar = var;
                    best = new int[] {y, x};
                }
            }
        }
        return best;
    }
}
