package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.BinaryOp;

/**
 * Binary kernels: over {@code double[]} / {@code long[]} scratch chunks (every dtype goes through one of them;
 * comparisons produce 1 or 0), plus direct strided F32 loops for the arithmetic that is hot in training, with
 * contiguous and scalar-broadcast fast paths.
 */
final class BinaryKernels {
    private BinaryKernels() {
    }

    /** True if {@link #directF32} implements {@code op}. */
    static boolean hasDirectF32(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV
                || op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM;
    }

    static void directF32(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od, int sd, int n) {
        switch (op) {
            case ADD: addF32(a, oa, sa, b, ob, sb, d, od, sd, n); break;
            case SUB: subF32(a, oa, sa, b, ob, sb, d, od, sd, n); break;
            case MUL: mulF32(a, oa, sa, b, ob, sb, d, od, sd, n); break;
            case DIV: divF32(a, oa, sa, b, ob, sb, d, od, sd, n); break;
            case MAXIMUM: extremumF32(true, a, oa, sa, b, ob, sb, d, od, sd, n); break;
            case MINIMUM: extremumF32(false, a, oa, sa, b, ob, sb, d, od, sd, n); break;
            default: throw new IllegalStateException("no direct F32 kernel for " + op);
        }
    }

    private static void addF32(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od, int sd, int n) {
        if (sd == 1 && sa == 1 && sb == 1) {
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] + b[ob + i];
        } else if (sd == 1 && sa == 1 && sb == 0) {
            float s = b[ob];
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] + s;
        } else if (sd == 1 && sa == 0 && sb == 1) {
            float s = a[oa];
            for (int i = 0; i < n; i++) d[od + i] = s + b[ob + i];
        } else {
            for (int i = 0; i < n; i++) d[od + i * sd] = a[oa + i * sa] + b[ob + i * sb];
        }
    }

    private static void subF32(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od, int sd, int n) {
        if (sd == 1 && sa == 1 && sb == 1) {
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] - b[ob + i];
        } else if (sd == 1 && sa == 1 && sb == 0) {
            float s = b[ob];
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] - s;
        } else if (sd == 1 && sa == 0 && sb == 1) {
            float s = a[oa];
            for (int i = 0; i < n; i++) d[od + i] = s - b[ob + i];
        } else {
            for (int i = 0; i < n; i++) d[od + i * sd] = a[oa + i * sa] - b[ob + i * sb];
        }
    }

    private static void mulF32(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od, int sd, int n) {
        if (sd == 1 && sa == 1 && sb == 1) {
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] * b[ob + i];
        } else if (sd == 1 && sa == 1 && sb == 0) {
            float s = b[ob];
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] * s;
        } else if (sd == 1 && sa == 0 && sb == 1) {
            float s = a[oa];
            for (int i = 0; i < n; i++) d[od + i] = s * b[ob + i];
        } else {
            for (int i = 0; i < n; i++) d[od + i * sd] = a[oa + i * sa] * b[ob + i * sb];
        }
    }

    /**
     * {@code Math.max} or {@code Math.min} (NaN propagates, -0.0 below 0.0, as the double path and PyTorch compute it);
     * the common case, clamping against a scalar bound (ReLU6, hardtanh), in one contiguous loop.
     */
    private static void extremumF32(boolean max, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od,
            int sd, int n) {
        if (sd == 1 && sa == 1 && sb == 0) {
            float s = b[ob];
            if (max) {
                for (int i = 0; i < n; i++) d[od + i] = Math.max(a[oa + i], s);
            } else {
                for (int i = 0; i < n; i++) d[od + i] = Math.min(a[oa + i], s);
            }
        } else if (max) {
            for (int i = 0; i < n; i++) d[od + i * sd] = Math.max(a[oa + i * sa], b[ob + i * sb]);
        } else {
            for (int i = 0; i < n; i++) d[od + i * sd] = Math.min(a[oa + i * sa], b[ob + i * sb]);
        }
    }

    private static void divF32(float[] a, int oa, int sa, float[] b, int ob, int sb, float[] d, int od, int sd, int n) {
        if (sd == 1 && sa == 1 && sb == 1) {
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] / b[ob + i];
        } else if (sd == 1 && sa == 1 && sb == 0) {
            float s = b[ob];
            for (int i = 0; i < n; i++) d[od + i] = a[oa + i] / s;
        } else {
            for (int i = 0; i < n; i++) d[od + i * sd] = a[oa + i * sa] / b[ob + i * sb];
        }
    }

    /** {@code out[i] = op(a[i], b[i])} on values held as doubles (comparisons give 1 or 0). */
    static void applyDouble(BinaryOp op, double[] a, double[] b, double[] out, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) out[i] = a[i] + b[i]; break;
            case SUB: for (int i = 0; i < n; i++) out[i] = a[i] - b[i]; break;
            case MUL: for (int i = 0; i < n; i++) out[i] = a[i] * b[i]; break;
            case DIV: for (int i = 0; i < n; i++) out[i] = a[i] / b[i]; break;
            case POW: for (int i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]); break;
            case MAXIMUM: for (int i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]); break;
            case MINIMUM: for (int i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]); break;
            case EQ: for (int i = 0; i < n; i++) out[i] = a[i] == b[i] ? 1 : 0; break;
            case NE: for (int i = 0; i < n; i++) out[i] = a[i] != b[i] ? 1 : 0; break;
            case LT: for (int i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0; break;
            case LE: for (int i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0; break;
            case GT: for (int i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0; break;
            case GE: for (int i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0; break;
            default: throw new IllegalStateException("binary: " + op + " is not a float op");
        }
    }

    /** {@code out[i] = op(a[i], b[i])} on values held as longs (BOOL and U8 loaded as 0/1 and 0..255). */
    static void applyLong(BinaryOp op, long[] a, long[] b, long[] out, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) out[i] = a[i] + b[i]; break;
            case SUB: for (int i = 0; i < n; i++) out[i] = a[i] - b[i]; break;
            case MUL: for (int i = 0; i < n; i++) out[i] = a[i] * b[i]; break;
            case DIV: divLong(a, b, out, n); break;
            case POW: for (int i = 0; i < n; i++) out[i] = powLong(a[i], b[i]); break;
            case MAXIMUM: for (int i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]); break;
            case MINIMUM: for (int i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]); break;
            case EQ: for (int i = 0; i < n; i++) out[i] = a[i] == b[i] ? 1 : 0; break;
            case NE: for (int i = 0; i < n; i++) out[i] = a[i] != b[i] ? 1 : 0; break;
            case LT: for (int i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0; break;
            case LE: for (int i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0; break;
            case GT: for (int i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0; break;
            case GE: for (int i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0; break;
            case AND: for (int i = 0; i < n; i++) out[i] = a[i] & b[i]; break;
            case OR: for (int i = 0; i < n; i++) out[i] = a[i] | b[i]; break;
            case XOR: for (int i = 0; i < n; i++) out[i] = a[i] ^ b[i]; break;
            default: throw new IllegalStateException("binary: unknown op " + op);
        }
    }

    private static void divLong(long[] a, long[] b, long[] out, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                throw new IllegalArgumentException("div: integer division by zero");
            }
            out[i] = a[i] / b[i];
        }
    }

    static long powLong(long base, long exp) {
        if (exp < 0) {
            throw new IllegalArgumentException("pow: negative integer exponent " + exp + " (integers to negative powers are not allowed)");
        }
        long result = 1;
        long b = base;
        long e = exp;
        while (e != 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            e >>= 1;
            if (e != 0) {
                b *= b;
            }
        }
        return result;
    }
}
