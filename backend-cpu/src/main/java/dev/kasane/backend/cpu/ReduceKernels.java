package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.ReduceOp;

/**
 * Folding loops of the reductions over {@code double[]} (float sources) and {@code long[]} (integer and BOOL
 * sources) scratch chunks. MAX/MIN propagate NaN; the arg-reductions keep the first extreme, and a NaN counts as
 * the extreme (the first NaN wins). An index of -1 means "nothing seen yet".
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    /** A running reduction of one output: a value and, for the arg-reductions, its index. */
    static final class Acc {
        double d;
        long l;
        long idx;

        void init(ReduceOp op) {
            idx = -1;
            switch (op) {
                case PROD: d = 1; l = 1; break;
                case MAX: d = Double.NEGATIVE_INFINITY; l = Long.MIN_VALUE; break;
                case MIN: d = Double.POSITIVE_INFINITY; l = Long.MAX_VALUE; break;
                default: d = 0; l = 0; break;
            }
        }
    }

    static double identityDouble(ReduceOp op) {
        switch (op) {
            case PROD: return 1;
            case MAX: return Double.NEGATIVE_INFINITY;
            case MIN: return Double.POSITIVE_INFINITY;
            default: return 0;
        }
    }

    static long identityLong(ReduceOp op) {
        switch (op) {
            case PROD: return 1;
            case MAX: return Long.MIN_VALUE;
            case MIN: return Long.MAX_VALUE;
            default: return 0;
        }
    }

    /** Folds {@code x[0..n)}, whose first element has reduction index {@code first}, into {@code acc}. */
    static void foldDouble(ReduceOp op, Acc acc, double[] x, int n, long first) {
        switch (op) {
            case SUM: acc.d += sum(x, n); break;
            case PROD: for (int i = 0; i < n; i++) acc.d *= x[i]; break;
            case MAX: acc.d = max(acc.d, x, n); break;
            case MIN: acc.d = min(acc.d, x, n); break;
            case ARGMAX: argmax(acc, x, n, first); break;
            default: argmin(acc, x, n, first); break;
        }
    }

    /** Sum with four independent accumulators (shorter dependency chains, smaller rounding error). */
    private static double sum(double[] x, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double max(double m, double[] x, int n) {
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    private static double min(double m, double[] x, int n) {
        for (int i = 0; i < n; i++) {
            m = Math.min(m, x[i]);
        }
        return m;
    }

    private static void argmax(Acc acc, double[] x, int n, long first) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            if (acc.idx < 0 || v > acc.d || (v != v && acc.d == acc.d)) {
                acc.d = v;
                acc.idx = first + i;
            }
        }
    }

    private static void argmin(Acc acc, double[] x, int n, long first) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            if (acc.idx < 0 || v < acc.d || (v != v && acc.d == acc.d)) {
                acc.d = v;
                acc.idx = first + i;
            }
        }
    }

    /** Integer counterpart of {@link #foldDouble}. */
    static void foldLong(ReduceOp op, Acc acc, long[] x, int n, long first) {
        switch (op) {
            case SUM: for (int i = 0; i < n; i++) acc.l += x[i]; break;
            case PROD: for (int i = 0; i < n; i++) acc.l *= x[i]; break;
            case MAX: for (int i = 0; i < n; i++) acc.l = Math.max(acc.l, x[i]); break;
            case MIN: for (int i = 0; i < n; i++) acc.l = Math.min(acc.l, x[i]); break;
            case ARGMAX:
                for (int i = 0; i < n; i++) {
                    if (acc.idx < 0 || x[i] > acc.l) {
                        acc.l = x[i];
                        acc.idx = first + i;
                    }
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    if (acc.idx < 0 || x[i] < acc.l) {
                        acc.l = x[i];
                        acc.idx = first + i;
                    }
                }
                break;
        }
    }

    /** Merges {@code later} (covering later reduction indices) into {@code acc}. */
    static void combine(ReduceOp op, boolean floating, Acc acc, Acc later) {
        switch (op) {
            case SUM: acc.d += later.d; acc.l += later.l; break;
            case PROD: acc.d *= later.d; acc.l *= later.l; break;
            case MAX: acc.d = Math.max(acc.d, later.d); acc.l = Math.max(acc.l, later.l); break;
            case MIN: acc.d = Math.min(acc.d, later.d); acc.l = Math.min(acc.l, later.l); break;
            default: {
                if (later.idx < 0) {
                    return;
                }
                boolean takeLater;
                if (acc.idx < 0) {
                    takeLater = true;
                } else if (floating) {
                    boolean accNaN = acc.d != acc.d;
                    boolean laterNaN = later.d != later.d;
                    takeLater = !accNaN && (laterNaN || (op == ReduceOp.ARGMAX ? later.d > acc.d : later.d < acc.d));
                } else {
                    takeLater = op == ReduceOp.ARGMAX ? later.l > acc.l : later.l < acc.l;
                }
                if (takeLater) {
                    acc.d = later.d;
                    acc.l = later.l;
                    acc.idx = later.idx;
                }
            }
        }
    }

    /** Column-wise fold: {@code acc[j] = op(acc[j], x[j])} for {@code j < t}, all at reduction index {@code at}. */
    static void foldTileDouble(ReduceOp op, double[] acc, long[] idx, double[] x, int t, long at) {
        switch (op) {
            case SUM: for (int j = 0; j < t; j++) acc[j] += x[j]; break;
            case PROD: for (int j = 0; j < t; j++) acc[j] *= x[j]; break;
            case MAX: for (int j = 0; j < t; j++) acc[j] = Math.max(acc[j], x[j]); break;
            case MIN: for (int j = 0; j < t; j++) acc[j] = Math.min(acc[j], x[j]); break;
            default: {
                boolean isMax = op == ReduceOp.ARGMAX;
                for (int j = 0; j < t; j++) {
                    double v = x[j];
                    double a = acc[j];
                    if (idx[j] < 0 || (isMax ? v > a : v < a) || (v != v && a == a)) {
                        acc[j] = v;
                        idx[j] = at;
                    }
                }
            }
        }
    }

    /** Integer counterpart of {@link #foldTileDouble}. */
    static void foldTileLong(ReduceOp op, long[] acc, long[] idx, long[] x, int t, long at) {
        switch (op) {
            case SUM: for (int j = 0; j < t; j++) acc[j] += x[j]; break;
            case PROD: for (int j = 0; j < t; j++) acc[j] *= x[j]; break;
            case MAX: for (int j = 0; j < t; j++) acc[j] = Math.max(acc[j], x[j]); break;
            case MIN: for (int j = 0; j < t; j++) acc[j] = Math.min(acc[j], x[j]); break;
            default: {
                boolean isMax = op == ReduceOp.ARGMAX;
                for (int j = 0; j < t; j++) {
                    if (idx[j] < 0 || (isMax ? x[j] > acc[j] : x[j] < acc[j])) {
                        acc[j] = x[j];
                        idx[j] = at;
                    }
                }
            }
        }
    }
}
