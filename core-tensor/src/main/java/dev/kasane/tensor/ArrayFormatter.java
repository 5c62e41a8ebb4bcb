package dev.kasane.tensor;

import java.util.Locale;

/** Prints arrays the way PyTorch does: nested brackets, aligned columns, "..." past 1000 elements. */
final class ArrayFormatter {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private ArrayFormatter() {
    }

    static String format(NDArray a) {
        double[] v = a.toDoubleArray();
        boolean summarize = v.length > THRESHOLD;
        int[] shape = a.shape();
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        double[] shown = summarize ? shownValues(v, shape, strides) : v;
        Style style = Style.choose(a.dtype(), shown);
        int width = 0;
        for (double x : shown) {
            width = Math.max(width, style.format(x).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        append(sb, v, shape, strides, 0, 0, style, width, summarize, "tensor(".length());
        sb.append(", shape=").append(Shapes.str(shape)).append(", dtype=").append(a.dtype()).append(", device=")
                .append(a.device()).append(')');
        return sb.toString();
    }

    /** The values a summarized print shows (the first and last EDGE entries of every dimension). */
    private static double[] shownValues(double[] v, int[] shape, int[] strides) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        collect(v, shape, strides, 0, 0, out);
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    private static void collect(double[] v, int[] shape, int[] strides, int d, int base, java.util.List<Double> out) {
        if (d == shape.length) {
            out.add(v[base]);
            return;
        }
        int n = shape[d];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                i = n - EDGE;
            }
            collect(v, shape, strides, d + 1, base + i * strides[d], out);
        }
    }

    private static void append(StringBuilder sb, double[] v, int[] shape, int[] strides, int d, int base, Style style,
                               int width, boolean summarize, int indent) {
        if (shape.length == 0) {
            sb.append(style.format(v[0]));
            return;
        }
        sb.append('[');
        int n = shape[d];
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(d == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + d + 1));
                i = n - EDGE;
            }
            if (d == shape.length - 1) {
                String f = style.format(v[base + i * strides[d]]);
                sb.append(" ".repeat(Math.max(0, width - f.length()))).append(f);
            } else {
                append(sb, v, shape, strides, d + 1, base + i * strides[d], style, width, summarize, indent);
            }
            if (i < n - 1) {
                sb.append(',');
                if (d == shape.length - 1) {
                    sb.append(' ');
                } else {
                    sb.append("\n".repeat(shape.length - 1 - d)).append(" ".repeat(indent + d + 1));
                }
            }
        }
        sb.append(']');
    }

    private enum Style {
        INTEGER, BOOL, FLOAT_INT, FIXED, SCIENTIFIC;

        static Style choose(DType dtype, double[] v) {
            if (dtype == DType.BOOL) {
                return BOOL;
            }
            if (!dtype.isFloating() && !dtype.isHalf()) {
                return INTEGER;
            }
            boolean allInt = true;
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    continue;
                }
                allInt &= x == Math.rint(x);
                double ax = Math.abs(x);
                maxAbs = Math.max(maxAbs, ax);
                if (ax > 0) {
                    minAbs = Math.min(minAbs, ax);
                }
            }
            if (allInt && maxAbs < 1e8) {
                return FLOAT_INT;
            }
            if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != Double.POSITIVE_INFINITY) || maxAbs / minAbs > 1000) {
                return SCIENTIFIC;
            }
            return FIXED;
        }

        String format(double x) {
            if (this != INTEGER && this != BOOL) {
                if (Double.isNaN(x)) {
                    return "nan";
                }
                if (Double.isInfinite(x)) {
                    return x > 0 ? "inf" : "-inf";
                }
            }
            switch (this) {
                case BOOL: return x != 0 ? "True" : "False";
                case INTEGER: return Long.toString((long) x);
                case FLOAT_INT: return (long) x + ".";
                case FIXED: return String.format(Locale.ROOT, "%.4f", x);
                default: return String.format(Locale.ROOT, "%.4e", x);
            }
        }
    }
}
