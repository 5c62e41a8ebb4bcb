package dev.kasane.examples.common;

import dev.kasane.vision.plot.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch figures of a run (a small table: one row per epoch, named columns), kept in the checkpoint so that a
 * resumed run continues its CSV and charts. Values are kept at the precision of the CSV (6 significant digits), so
 * that a history read back from a checkpoint draws the same charts as the one it was written from.
 *
 * <pre>{@code
 * History h = new History("epoch", "train_loss", "test_acc");
 * h.add(1, 0.61, 0.84);
 * h.writeCsv(out.resolve("metrics.csv"));
 * h.chart("LeNet-5", "epoch", "value", out.resolve("curves.png"), "train_loss", "test_acc");
 * checkpoint.meta("history", h.toCsv());      // and History.fromCsv(ck.meta("history")) on resume
 * }</pre>
 */
public final class History {
    private final String[] columns;
    private final List<double[]> rows = new ArrayList<>();

    /** An empty table with these columns (the first is usually "epoch"). */
    public History(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("History: needs at least one column");
        }
        for (String c : columns) {
            if (c.isEmpty() || c.contains(",") || c.contains("\n")) {
                throw new IllegalArgumentException("History: bad column name '" + c + "'");
            }
        }
        this.columns = columns.clone();
    }

    /** Appends a row (one value per column), each rounded to what {@link #toCsv()} writes. */
    public History add(double... values) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("History.add: " + values.length + " values for " + columns.length
                    + " columns " + Arrays.toString(columns));
        }
        double[] row = new double[values.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = Double.parseDouble(format(values[i]));
        }
        rows.add(row);
        return this;
    }

    /** The column names. */
    public List<String> columns() {
        return List.of(columns);
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** One column's values, in row order. */
    public double[] column(String name) {
        int c = Arrays.asList(columns).indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("History: no column '" + name + "' in " + Arrays.toString(columns));
        }
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    /** The last value of a column, or NaN if there are no rows. */
    public double last(String name) {
        double[] c = column(name);
        return c.length == 0 ? Double.NaN : c[c.length - 1];
    }

    /** Keeps only the first {@code n} rows (e.g. those up to a resumed checkpoint's epoch). */
    public History truncate(int n) {
        while (rows.size() > n) {
            rows.remove(rows.size() - 1);
        }
        return this;
    }

    /** The table as CSV with a header line. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : ",").append(format(r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * Parses {@link #toCsv()} output.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static History fromCsv(String csv) {
        String[] lines = csv.strip().split("\n");
        History h = new History(lines[0].strip().split(","));
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].strip().split(",");
            double[] v = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                try {
                    v[j] = Double.parseDouble(f[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("History.fromCsv: bad number '" + f[j] + "' on line " + (i + 1), e);
                }
            }
            h.add(v);
        }
        return h;
    }

    /** Writes {@link #toCsv()} to {@code file} (through a temporary file and a rename). */
    public void writeCsv(Path file) throws IOException {
        TextFiles.write(file, toCsv());
    }

    /**
     * Draws the named columns against the first column as a PNG line chart.
     *
     * @throws IOException if the file cannot be written
     */
    public void chart(String title, String yLabel, Path file, String... series) throws IOException {
        LineChart chart = new LineChart(title, columns[0], yLabel);
        double[] x = column(columns[0]);
        for (String s : series) {
            chart.addSeries(s.replace('_', ' '), x, column(s));
        }
        chart.save(file);
    }
}
