package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.UnaryOp;

/**
 * Unary kernels: in place over {@code double[]} / {@code long[]} scratch chunks (every dtype goes through one
 * of them), plus direct strided F32 loops for the cheap ops that are hot in training.
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    /** True if {@link #directF32} implements {@code op}. */
    static boolean hasDirectF32(UnaryOp op) {
        return op == UnaryOp.NEG || op == UnaryOp.RELU || op == UnaryOp.ABS || op == UnaryOp.SQUARE;
    }

    static void directF32(UnaryOp op, float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        switch (op) {
            case NEG: negF32(s, so, ss, d, dof, ds, n); break;
            case RELU: reluF32(s, so, ss, d, dof, ds, n); break;
            case ABS: absF32(s, so, ss, d, dof, ds, n); break;
            case SQUARE: squareF32(s, so, ss, d, dof, ds, n); break;
            default: throw new IllegalStateException("no direct F32 kernel for " + op);
        }
    }

    private static void negF32(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            for (int i = 0; i < n; i++) {
                d[dof + i] = -s[so + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                d[dof + i * ds] = -s[so + i * ss];
            }
        }
    }

    private static void reluF32(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            VectorSupport.selectF32().relu(s, so, d, dof, n);
        } else {
            for (int i = 0; i < n; i++) {
                d[dof + i * ds] = Math.max(s[so + i * ss], 0f);
            }
        }
    }

    private static void absF32(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            for (int i = 0; i < n; i++) {
                d[dof + i] = Math.abs(s[so + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                d[dof + i * ds] = Math.abs(s[so + i * ss]);
            }
        }
    }

    private static void squareF32(float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        if (ss == 1 && ds == 1) {
            for (int i = 0; i < n; i++) {
                float v = s[so + i];
                d[dof + i] = v * v;
            }
        } else {
            for (int i = 0; i < n; i++) {
                float v = s[so + i * ss];
                d[dof + i * ds] = v * v;
            }
        }
    }

    /** {@code x[i] = op(x[i])} for a float op on values held as doubles. */
    static void applyDouble(UnaryOp op, double[] x, int n) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) x[i] = -x[i]; break;
            case ABS: for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]); break;
            case SIGN: for (int i = 0; i < n; i++) x[i] = Math.signum(x[i]); break;
            case SQUARE: for (int i = 0; i < n; i++) x[i] = x[i] * x[i]; break;
            case RELU: for (int i = 0; i < n; i++) x[i] = Math.max(x[i], 0.0); break;
            case EXP: for (int i = 0; i < n; i++) x[i] = Math.exp(x[i]); break;
            case LOG: for (int i = 0; i < n; i++) x[i] = Math.log(x[i]); break;
            case LOG1P: for (int i = 0; i < n; i++) x[i] = Math.log1p(x[i]); break;
            case SQRT: for (int i = 0; i < n; i++) x[i] = Math.sqrt(x[i]); break;
            case RSQRT: for (int i = 0; i < n; i++) x[i] = 1.0 / Math.sqrt(x[i]); break;
            case RECIPROCAL: for (int i = 0; i < n; i++) x[i] = 1.0 / x[i]; break;
            case SIN: for (int i = 0; i < n; i++) x[i] = Math.sin(x[i]); break;
            case COS: for (int i = 0; i < n; i++) x[i] = Math.cos(x[i]); break;
            case TANH: for (int i = 0; i < n; i++) x[i] = Math.tanh(x[i]); break;
            case SIGMOID: for (int i = 0; i < n; i++) x[i] = sigmoid(x[i]); break;
            case ERF: for (int i = 0; i < n; i++) x[i] = Erf.erf(x[i]); break;
            case FLOOR: for (int i = 0; i < n; i++) x[i] = Math.floor(x[i]); break;
            case CEIL: for (int i = 0; i < n; i++) x[i] = Math.ceil(x[i]); break;
            case ROUND: for (int i = 0; i < n; i++) x[i] = Math.rint(x[i]); break;
            default: throw new IllegalStateException("unary: " + op + " is not a float op");
        }
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** {@code x[i] = op(x[i])} for an integer or BOOL op on values held as longs. */
    static void applyLong(UnaryOp op, long[] x, int n) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) x[i] = -x[i]; break;
            case ABS: for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]); break;
            case SIGN: for (int i = 0; i < n; i++) x[i] = Long.signum(x[i]); break;
            case SQUARE: for (int i = 0; i < n; i++) x[i] = x[i] * x[i]; break;
            case RELU: for (int i = 0; i < n; i++) x[i] = x[i] < 0 ? 0 : x[i]; break;
            case NOT: for (int i = 0; i < n; i++) x[i] = x[i] == 0 ? 1 : 0; break;
            default: throw new IllegalStateException("unary: " + op + " is not an integer op");
        }
    }
}
