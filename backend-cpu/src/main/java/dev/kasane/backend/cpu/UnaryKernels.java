package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.UnaryOp;

/**
 * Unary kernels: in place over {@code double[]} / {@code long[]} scratch chunks (every dtype goes through one
 * of them), plus direct strided F32 loops for the cheap ops that are hot in training.
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    /**
     * True if {@link #directF32} implements {@code op}: the cheap ops, and the sigmoid when the Vector API is there
     * ({@link VectorSupport.RowsF32#sigmoid}; without it the sigmoid runs in double, one {@code Math.exp} per element).
     */
    static boolean hasDirectF32(UnaryOp op) {
        return op == UnaryOp.NEG || op == UnaryOp.RELU || op == UnaryOp.ABS || op == UnaryOp.SQUARE
                || op == UnaryOp.SIGMOID && VectorSupport.rowsF32().hasSigmoid();
    }

    static void directF32(UnaryOp op, float[] s, int so, int ss, float[] d, int dof, int ds, int n) {
        switch (op) {
            case NEG: negF32(s, so, ss, d, dof, ds, n); break;
            case RELU: reluF32(s, so, ss, d, dof, ds, n); break;
            case ABS: absF32(s, so, ss, d, dof, ds, n); break;
            case SQUARE: squareF32(s, so, ss, d, dof, ds, n); break;
            case SIGMOID: VectorSupport.rowsF32().sigmoid(s, so, ss, d, dof, ds, n); break;
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

    /**
     * {@code x[i] = op(x[i])} on values held as doubles. The ops hot in training, and the cheap ones whose cost a
     * call per element would multiply, run in a loop of their own over the constant's formula (a constant receiver,
     * so the JIT inlines it); the other transcendental ops, and any op added to {@link UnaryOp} later, run
     * {@link UnaryOp#applyAsDouble} in the generic loop, one call per element.
     */
    static void applyDouble(UnaryOp op, double[] x, int n) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) x[i] = UnaryOp.NEG.applyAsDouble(x[i]); break;
            case ABS: for (int i = 0; i < n; i++) x[i] = UnaryOp.ABS.applyAsDouble(x[i]); break;
            case SIGN: for (int i = 0; i < n; i++) x[i] = UnaryOp.SIGN.applyAsDouble(x[i]); break;
            case SQUARE: for (int i = 0; i < n; i++) x[i] = UnaryOp.SQUARE.applyAsDouble(x[i]); break;
            case RELU: for (int i = 0; i < n; i++) x[i] = UnaryOp.RELU.applyAsDouble(x[i]); break;
            case EXP: for (int i = 0; i < n; i++) x[i] = UnaryOp.EXP.applyAsDouble(x[i]); break;
            case LOG: for (int i = 0; i < n; i++) x[i] = UnaryOp.LOG.applyAsDouble(x[i]); break;
            case SQRT: for (int i = 0; i < n; i++) x[i] = UnaryOp.SQRT.applyAsDouble(x[i]); break;
            case RSQRT: for (int i = 0; i < n; i++) x[i] = UnaryOp.RSQRT.applyAsDouble(x[i]); break;
            case RECIPROCAL: for (int i = 0; i < n; i++) x[i] = UnaryOp.RECIPROCAL.applyAsDouble(x[i]); break;
            case TANH: for (int i = 0; i < n; i++) x[i] = UnaryOp.TANH.applyAsDouble(x[i]); break;
            case SIGMOID: for (int i = 0; i < n; i++) x[i] = UnaryOp.SIGMOID.applyAsDouble(x[i]); break;
            case FLOOR: for (int i = 0; i < n; i++) x[i] = UnaryOp.FLOOR.applyAsDouble(x[i]); break;
            case CEIL: for (int i = 0; i < n; i++) x[i] = UnaryOp.CEIL.applyAsDouble(x[i]); break;
            case ROUND: for (int i = 0; i < n; i++) x[i] = UnaryOp.ROUND.applyAsDouble(x[i]); break;
            default: applyFormula(op, x, n); break;
        }
    }

    /** The generic loop: one call of the op's formula per element. */
    private static void applyFormula(UnaryOp op, double[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = op.applyAsDouble(x[i]);
        }
    }

    /**
     * {@code x[i] = op(x[i])} for an integer or BOOL op on values held as longs (integer unary ops are not hot, so
     * every op runs its formula in one generic loop).
     */
    static void applyLong(UnaryOp op, long[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = op.applyAsLong(x[i]);
        }
    }
}
