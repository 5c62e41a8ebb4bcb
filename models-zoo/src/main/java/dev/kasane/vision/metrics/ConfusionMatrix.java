package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix for K classes, accumulated batch by batch: entry {@code (t, p)} counts the samples of true class
 * {@code t} predicted as {@code p}. Gives overall accuracy and per-class precision, recall and F1, and prints as a
 * table.
 *
 * <pre>{@code
 * var cm = new ConfusionMatrix(test.classes());
 * for (Batch b : loader) cm.update(model.forward(b.input()), b.target());
 * System.out.println(cm);            // table with row = true class, column = predicted class
 * double acc = cm.accuracy();
 * }</pre>
 */
public final class ConfusionMatrix {
    private final int k;
    private final List<String> names;
    private final long[][] counts;

    /**
     * An empty matrix for {@code numClasses} classes named "0", "1", ....
     *
     * @throws IllegalArgumentException if {@code numClasses < 1}
     */
    public ConfusionMatrix(int numClasses) {
        this(defaultNames(numClasses));
    }

    /**
     * An empty matrix for the named classes.
     *
     * @throws IllegalArgumentException if there are no classes
     */
    public ConfusionMatrix(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("ConfusionMatrix: needs at least one class");
        }
        this.k = classNames.size();
        this.names = List.copyOf(classNames);
        this.counts = new long[k][k];
    }

    private static List<String> defaultNames(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses must be >= 1, got " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    /**
     * Adds a batch.
     *
     * @param predictions scores {@code [N, K]} (argmax taken) or integer classes {@code [N]}
     * @param labels integer classes {@code [N]}
     * @throws IllegalArgumentException if the shapes disagree or a class is outside {@code [0, K)}
     */
    public ConfusionMatrix update(Tensor predictions, Tensor labels) {
        if (predictions.dim() == 2 && predictions.size(1) != k) {
            throw new IllegalArgumentException("ConfusionMatrix.update: scores " + predictions.describe() + " have "
                    + predictions.size(1) + " classes, the matrix has " + k);
        }
        long[] p = Metrics.predictedClasses(predictions);
        long[] y = Metrics.labels(labels, p.length, "ConfusionMatrix.update");
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= k || y[i] < 0 || y[i] >= k) {
                throw new IllegalArgumentException("ConfusionMatrix.update: sample " + i + " has prediction " + p[i]
                        + " and label " + y[i] + "; classes must be in [0, " + k + ")");
            }
        }
        for (int i = 0; i < p.length; i++) {
            counts[(int) y[i]][(int) p[i]]++;
        }
        return this;
    }

    /** Adds one sample of true class {@code label} predicted as {@code predicted}. */
    public ConfusionMatrix add(int label, int predicted) {
        if (label < 0 || label >= k || predicted < 0 || predicted >= k) {
            throw new IllegalArgumentException("ConfusionMatrix.add: label " + label + " and prediction " + predicted
                    + " must be in [0, " + k + ")");
        }
        counts[label][predicted]++;
        return this;
    }

    /** Number of classes. */
    public int numClasses() {
        return k;
    }

    /** The class names. */
    public List<String> classNames() {
        return names;
    }

    /** The count of samples of true class {@code label} predicted as {@code predicted}. */
    public long get(int label, int predicted) {
        return counts[label][predicted];
    }

    /** A copy of the counts, indexed [true][predicted]. */
    public long[][] matrix() {
        long[][] out = new long[k][];
        for (int i = 0; i < k; i++) {
            out[i] = counts[i].clone();
        }
        return out;
    }

    /** Total number of samples. */
    public long total() {
        long t = 0;
        for (long[] r : counts) {
            for (long v : r) {
                t += v;
            }
        }
        return t;
    }

    /** Fraction of samples on the diagonal (NaN when empty). */
    public double accuracy() {
        long d = 0;
        for (int i = 0; i < k; i++) {
            d += counts[i][i];
        }
        long t = total();
        return t == 0 ? Double.NaN : (double) d / t;
    }

    /** Of the samples predicted as class {@code c}, the fraction truly of class c (NaN if none predicted). */
    public double precision(int c) {
        long col = 0;
        for (int i = 0; i < k; i++) {
            col += counts[i][c];
        }
        return col == 0 ? Double.NaN : (double) counts[c][c] / col;
    }

    /** Of the samples of class {@code c}, the fraction predicted as c (NaN if the class has no samples). */
    public double recall(int c) {
        long row = 0;
        for (int j = 0; j < k; j++) {
            row += counts[c][j];
        }
        return row == 0 ? Double.NaN : (double) counts[c][c] / row;
    }

    /** Harmonic mean of precision and recall of class {@code c} (0 when both are 0, NaN if either is undefined). */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Clears all counts. */
    public void reset() {
        for (long[] r : counts) {
            java.util.Arrays.fill(r, 0);
        }
    }

    private String rowLabel(int i) {
        String n = names.get(i);
        return n.equals(Integer.toString(i)) ? n : i + " " + n;
    }

    /**
     * A table: one row per true class (name, counts per predicted class, recall), a header of predicted class
     * indices, and the overall accuracy.
     */
    @Override
    public String toString() {
        int nameW = "true \\ pred".length();
        for (int i = 0; i < k; i++) {
            nameW = Math.max(nameW, rowLabel(i).length());
        }
        int cellW = Integer.toString(k - 1).length();
        for (long[] r : counts) {
            for (long v : r) {
                cellW = Math.max(cellW, Long.toString(v).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameW + "s", "true \\ pred"));
        for (int j = 0; j < k; j++) {
            sb.append(' ').append(String.format(Locale.ROOT, "%" + cellW + "d", j));
        }
        sb.append("  recall\n");
        for (int i = 0; i < k; i++) {
            sb.append(String.format(Locale.ROOT, "%-" + nameW + "s", rowLabel(i)));
            for (int j = 0; j < k; j++) {
                sb.append(' ').append(String.format(Locale.ROOT, "%" + cellW + "d", counts[i][j]));
            }
            double r = recall(i);
            sb.append(Double.isNaN(r) ? "     -" : String.format(Locale.ROOT, "  %.3f", r)).append('\n');
        }
        double acc = accuracy();
        sb.append(String.format(Locale.ROOT, "accuracy %s over %d samples",
                Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.4f", acc), total()));
        return sb.toString();
    }
}
