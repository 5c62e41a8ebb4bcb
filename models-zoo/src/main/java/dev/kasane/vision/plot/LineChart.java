package dev.kasane.vision.plot;

import dev.kasane.vision.io.Images;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A dependency-free line chart drawn with {@code java.awt} and written as PNG: several named series, axes with
 * "nice" ticks (1, 2 or 5 times a power of ten) and labels, a title and a legend (right of the plot, so that it never
 * hides data). Works headless (set
 * {@code java.awt.headless=true} on servers). NaN or infinite values leave a gap in their series.
 *
 * <pre>{@code
 * new LineChart("Fashion-MNIST / LeNet-5", "epoch", "value")
 *         .addSeries("train loss", trainLoss)          // x = 1, 2, ...
 *         .addSeries("test accuracy", testAcc)
 *         .save(Path.of("curves.png"));
 * }</pre>
 */
public final class LineChart {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private int width = 800;
    private int height = 500;
    private boolean markers = true;

    private record Series(String name, double[] x, double[] y, Color color, boolean joined) {
    }

    /** An empty chart with a title and axis labels (each may be empty). */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = Objects.requireNonNullElse(title, "");
        this.xLabel = Objects.requireNonNullElse(xLabel, "");
        this.yLabel = Objects.requireNonNullElse(yLabel, "");
    }

    /**
     * Adds a series plotted at x = 1, 2, ..., n (e.g. one value per epoch).
     *
     * @throws IllegalArgumentException if {@code y} is empty
     */
    public LineChart addSeries(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return addSeries(name, x, y);
    }

    /**
     * Adds a series of points (x[i], y[i]), joined in order.
     *
     * @throws IllegalArgumentException if the arrays are empty or of different lengths
     */
    public LineChart addSeries(String name, double[] x, double[] y) {
        return add(name, x, y, true);
    }

    /**
     * Adds a series of points (x[i], y[i]) drawn as dots only, not joined (a scatter plot).
     *
     * @throws IllegalArgumentException if the arrays are empty or of different lengths
     */
    public LineChart addPoints(String name, double[] x, double[] y) {
        return add(name, x, y, false);
    }

    private LineChart add(String name, double[] x, double[] y, boolean joined) {
        Objects.requireNonNull(name, "LineChart.addSeries: name");
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("LineChart.addSeries: series '" + name + "' needs x and y of the same"
                    + " non-zero length, got " + x.length + " and " + y.length);
        }
        series.add(new Series(name, x.clone(), y.clone(), PALETTE[series.size() % PALETTE.length], joined));
        return this;
    }

    /** Adds a series from a list of values plotted at x = 1, 2, .... */
    public LineChart addSeries(String name, List<? extends Number> y) {
        double[] v = new double[y.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = y.get(i).doubleValue();
        }
        return addSeries(name, v);
    }

    /**
     * Sets the image size in pixels (default 800 x 500).
     *
     * @throws IllegalArgumentException if smaller than 200 x 150
     */
    public LineChart size(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("LineChart.size: at least 200 x 150 pixels, got " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** Whether to draw a dot at each point (default true). */
    public LineChart markers(boolean markers) {
        this.markers = markers;
        return this;
    }

    /**
     * Ticks at "nice" values (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi], about {@code target} of them.
     *
     * @return {start, end, step}: the first tick, the last tick and the spacing
     */
    static double[] niceTicks(double lo, double hi, int target) {
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        double step = nice * mag;
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        return new double[] {start, end, step};
    }

    static double[] tickValues(double[] t) {
        int n = (int) Math.round((t[1] - t[0]) / t[2]) + 1;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = t[0] + i * t[2];
        }
        return v;
    }

    static String format(double v, double step) {
        if (Math.abs(v) < step * 1e-6) {
            v = 0;
        }
        double a = Math.abs(step);
        if (a >= 1e5 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(a) - 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Draws the chart into a new ARGB image. */
    public BufferedImage render() {
        if (series.isEmpty()) {
            throw new IllegalStateException("LineChart.render: no series added");
        }
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    xmin = Math.min(xmin, s.x[i]);
                    xmax = Math.max(xmax, s.x[i]);
                    ymin = Math.min(ymin, s.y[i]);
                    ymax = Math.max(ymax, s.y[i]);
                }
            }
        }
        if (xmin > xmax) {
            xmin = 0;
            xmax = 1;
            ymin = 0;
            ymax = 1;
        }
        double[] xt = niceTicks(xmin, xmax, 8);
        double[] yt = niceTicks(ymin, ymax, 6);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = Canvas.white(img);
        try {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int yLabelW = 0;
            for (double v : tickValues(yt)) {
                yLabelW = Math.max(yLabelW, fm.stringWidth(format(v, yt[2])));
            }
            int legendW = 0;
            for (Series s : series) {
                legendW = Math.max(legendW, fm.stringWidth(s.name));
            }
            legendW += 40;
            int left = 20 + (yLabel.isEmpty() ? 0 : fm.getHeight() + 6) + yLabelW + 8;
            int right = 20 + legendW + 12; // the legend sits right of the plot, never over the data
            int top = title.isEmpty() ? 20 : 45;
            int bottom = 30 + fm.getHeight() + (xLabel.isEmpty() ? 0 : fm.getHeight() + 6);
            int pw = width - left - right;
            int ph = height - top - bottom;
            double x0 = xt[0];
            double x1 = xt[1];
            double y0 = yt[0];
            double y1 = yt[1];
            java.util.function.DoubleUnaryOperator px = v -> left + (v - x0) / (x1 - x0) * pw;
            java.util.function.DoubleUnaryOperator py = v -> top + ph - (v - y0) / (y1 - y0) * ph;

            // grid and ticks
            g.setStroke(new BasicStroke(1f));
            for (double v : tickValues(yt)) {
                int yy = (int) Math.round(py.applyAsDouble(v));
                g.setColor(new Color(0xE6E6E6));
                g.drawLine(left, yy, left + pw, yy);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(left - 5, yy, left, yy);
                String s = format(v, yt[2]);
                g.drawString(s, left - 8 - fm.stringWidth(s), yy + fm.getAscent() / 2 - 1);
            }
            for (double v : tickValues(xt)) {
                int xx = (int) Math.round(px.applyAsDouble(v));
                g.setColor(new Color(0xE6E6E6));
                g.drawLine(xx, top, xx, top + ph);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(xx, top + ph, xx, top + ph + 5);
                String s = format(v, xt[2]);
                g.drawString(s, xx - fm.stringWidth(s) / 2, top + ph + 8 + fm.getAscent());
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);

            // labels and title
            if (!xLabel.isEmpty()) {
                g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 12);
            }
            if (!yLabel.isEmpty()) {
                AffineTransform saved = g.getTransform();
                g.rotate(-Math.PI / 2);
                g.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 18 + fm.getAscent() - 4);
                g.setTransform(saved);
            }
            if (!title.isEmpty()) {
                g.setFont(titleFont);
                FontMetrics tfm = g.getFontMetrics();
                g.drawString(title, (width - tfm.stringWidth(title)) / 2, 28);
                g.setFont(font);
            }

            // series
            g.setClip(left, top, pw + 1, ph + 1);
            for (Series s : series) {
                g.setColor(s.color);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int i = 0; i < s.x.length; i++) {
                    if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) {
                        pen = false;
                        continue;
                    }
                    double xx = px.applyAsDouble(s.x[i]);
                    double yy = py.applyAsDouble(s.y[i]);
                    if (pen) {
                        path.lineTo(xx, yy);
                    } else {
                        path.moveTo(xx, yy);
                        pen = true;
                    }
                }
                if (s.joined) {
                    g.draw(path);
                }
                if (!s.joined || (markers && s.x.length <= 200)) {
                    for (int i = 0; i < s.x.length; i++) {
                        if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                            double xx = px.applyAsDouble(s.x[i]);
                            double yy = py.applyAsDouble(s.y[i]);
                            g.fillOval((int) Math.round(xx) - 3, (int) Math.round(yy) - 3, 7, 7);
                        }
                    }
                }
            }
            g.setClip(null);

            // legend, outside the plot on its right, level with its top
            int rowH = fm.getHeight() + 2;
            int boxH = rowH * series.size() + 8;
            int bx = left + pw + 12;
            int by = top;
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(bx, by, legendW, boxH);
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                int cy = by + 4 + i * rowH + rowH / 2;
                g.setColor(s.color);
                g.setStroke(new BasicStroke(2f));
                if (s.joined) {
                    g.drawLine(bx + 6, cy, bx + 26, cy);
                } else {
                    g.fillOval(bx + 13, cy - 3, 7, 7);
                }
                g.setColor(Color.BLACK);
                g.drawString(s.name, bx + 32, cy + fm.getAscent() / 2 - 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Renders the chart and writes it as PNG, with {@link Images#write(BufferedImage, String, Path)}: through a
     * temporary file and a rename, creating the directory if needed.
     *
     * @throws IOException naming the file if it cannot be written
     * @throws IllegalStateException if no series were added
     */
    public void save(Path file) throws IOException {
        Images.write(render(), "png", file);
    }
}
