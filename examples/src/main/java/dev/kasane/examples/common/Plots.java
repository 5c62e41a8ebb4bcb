package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.vision.io.Images;
import dev.kasane.vision.metrics.ConfusionMatrix;
import dev.kasane.vision.plot.Canvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Pictures the examples write besides {@link dev.kasane.vision.plot.LineChart}: a confusion-matrix heat map, and
 * panels of images in labelled columns.
 */
public final class Plots {
    private Plots() {
    }

    /**
     * Draws a confusion matrix as a PNG heat map: rows are true classes, columns predicted classes, each cell shaded
     * by its share of the row (recall) and labelled with its count; the title carries the overall accuracy.
     *
     * @throws IOException naming the file if it cannot be written
     */
    public static void confusionMatrix(ConfusionMatrix cm, String title, Path file) throws IOException {
        int k = cm.numClasses();
        List<String> names = cm.classNames();
        long[][] m = cm.matrix();
        int cell = Math.max(36, Math.min(64, 640 / Math.max(k, 1)));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = metrics(font);
        int nameW = 0;
        for (String n : names) {
            nameW = Math.max(nameW, fm.stringWidth(n));
        }
        int left = nameW + 40;
        int top = 50;
        int bottom = nameW + 40;
        int width = left + k * cell + 20;
        int height = top + k * cell + bottom;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(img);
        try {
            g.setColor(Color.BLACK);
            g.setFont(font.deriveFont(Font.BOLD, 14f));
            String t = String.format(Locale.ROOT, "%s (accuracy %.2f%%, %d samples)", title, 100 * cm.accuracy(), cm.total());
            g.drawString(t, Math.max(5, (width - g.getFontMetrics().stringWidth(t)) / 2), 22);
            g.setFont(font);
            for (int i = 0; i < k; i++) {
                long rowSum = 0;
                for (long v : m[i]) {
                    rowSum += v;
                }
                for (int j = 0; j < k; j++) {
                    double share = rowSum == 0 ? 0 : (double) m[i][j] / rowSum;
                    int shade = (int) Math.round(255 * (1 - share));
                    Color c = i == j ? new Color(shade, shade, 255) : new Color(255, shade, shade);
                    int x = left + j * cell;
                    int y = top + i * cell;
                    g.setColor(c);
                    g.fillRect(x, y, cell, cell);
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    String s = Long.toString(m[i][j]);
                    g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 2);
                }
                g.setColor(Color.BLACK);
                String n = names.get(i);
                g.drawString(n, left - 8 - fm.stringWidth(n), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
            }
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.GRAY);
            g.drawRect(left, top, k * cell, k * cell);
            AffineTransform saved = g.getTransform();
            g.setColor(Color.BLACK);
            for (int j = 0; j < k; j++) {
                String n = names.get(j);
                int x = left + j * cell + (cell + fm.getAscent()) / 2 - 2;
                int y = top + k * cell + 8;
                g.setTransform(saved);
                g.translate(x, y);
                g.rotate(Math.PI / 2);
                g.drawString(n, 0, 0);
            }
            g.setTransform(saved);
            g.drawString("predicted", left + (k * cell - fm.stringWidth("predicted")) / 2, height - 10);
            g.translate(14, top + (k * cell + fm.stringWidth("true")) / 2);
            g.rotate(-Math.PI / 2);
            g.drawString("true", 0, 0);
        } finally {
            g.dispose();
        }
        writePng(img, file);
    }

    /**
     * Writes images side by side in labelled columns (e.g. "input", "prediction", "mask" over rows of samples), each
     * enlarged by an integer factor without smoothing: at least {@code minScale}, and enough for the widest label to
     * fit over its column.
     *
     * @param images {@code [C, H, W]} (C = 1 or 3, values in [0, 1]) of one size, row by row, {@code labels.size()}
     *     per row (the labels repeat over each group of columns when a row holds several groups)
     * @param labels the column labels of one group
     * @param groupsPerRow how many groups of {@code labels.size()} images one row holds
     * @throws IllegalArgumentException if the images do not fill whole groups or differ in size
     * @throws IOException naming the file if it cannot be written
     */
    public static void panels(List<Tensor> images, List<String> labels, int groupsPerRow, int minScale, Path file)
            throws IOException {
        int group = labels.size();
        if (group == 0 || images.isEmpty() || images.size() % group != 0 || groupsPerRow < 1 || minScale < 1) {
            throw new IllegalArgumentException("Plots.panels: " + images.size() + " images do not fill groups of "
                    + labels.size() + " labels (groupsPerRow " + groupsPerRow + ", minScale " + minScale + ")");
        }
        int h = images.get(0).size(-2);
        int w = images.get(0).size(-1);
        for (Tensor t : images) {
            if (t.size(-2) != h || t.size(-1) != w) {
                throw new IllegalArgumentException("Plots.panels: images of different sizes, " + t.describe() + " and "
                        + images.get(0).describe());
            }
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = metrics(font);
        int labelW = 0;
        for (String l : labels) {
            labelW = Math.max(labelW, fm.stringWidth(l));
        }
        int scale = Math.max(minScale, (labelW + 6 + w - 1) / w);
        int gap = 4;
        int groupGap = 12;
        int cell = w * scale;
        int columns = Math.min(groupsPerRow, images.size() / group) * group;
        int rows = (images.size() + columns - 1) / columns;
        int header = fm.getHeight() + 6;
        int groupW = group * cell + (group - 1) * gap;
        int groups = columns / group;
        int width = gap + groups * groupW + (groups - 1) * groupGap + gap;
        int height = header + rows * (h * scale + gap);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(img);
        try {
            g.setFont(font);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int c = 0; c < columns; c++) {
                int x = columnX(c, group, cell, gap, groupW, groupGap);
                String l = labels.get(c % group);
                g.drawString(l, x + (cell - fm.stringWidth(l)) / 2, 3 + fm.getAscent());
            }
            for (int i = 0; i < images.size(); i++) {
                int x = columnX(i % columns, group, cell, gap, groupW, groupGap);
                int y = header + (i / columns) * (h * scale + gap);
                g.drawImage(Images.toBufferedImage(images.get(i).clamp(0, 1)), x, y, cell, h * scale, null);
            }
        } finally {
            g.dispose();
        }
        writePng(img, file);
    }

    private static int columnX(int column, int group, int cell, int gap, int groupW, int groupGap) {
        return gap + (column / group) * (groupW + groupGap) + (column % group) * (cell + gap);
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /**
     * Writes an image as PNG through a temporary file and a rename (creates the directory), with
     * {@link Images#write(BufferedImage, String, Path)}.
     */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        Images.write(img, "png", file);
    }
}
