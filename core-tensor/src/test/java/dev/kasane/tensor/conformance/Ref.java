package dev.kasane.tensor.conformance;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The plain double-precision reference the conformance suite checks every backend against: row-major
 * {@code double[]} values and a shape. Deliberately naive (no views, no strides, no threads) so that it is easy to
 * trust; everything is computed in double precision.
 */
public final class Ref {
    /** The shape. */
    public final int[] shape;
    /** The values in row-major order. */
    public final double[] v;

    /** A reference array over {@code values} (not copied). */
    public Ref(int[] shape, double[] values) {
        if (numel(shape) != values.length) {
            throw new IllegalArgumentException("Ref: shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + values.length);
        }
        this.shape = shape.clone();
        this.v = values;
    }

    /** A reference array whose element at row-major position {@code i} is {@code f(i)}. */
    public static Ref of(int[] shape, IntToDoubleFunction f) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(i);
        }
        return new Ref(shape, v);
    }

    /** A reference array built from literal values. */
    public static Ref values(int[] shape, double... values) {
        return new Ref(shape, values.clone());
    }

    /** Number of elements of a shape. */
    public static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Number of elements. */
    public int numel() {
        return v.length;
    }

    /** Rank. */
    public int rank() {
        return shape.length;
    }

    /** The multi-index of row-major position {@code linear}. */
    public static int[] unravel(int[] shape, int linear) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = linear % shape[d];
                linear /= shape[d];
            }
        }
        return idx;
    }

    /** The row-major position of a multi-index. */
    public static int ravel(int[] shape, int[] idx) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) {
            p = p * shape[d] + idx[d];
        }
        return p;
    }

    /** The element at a multi-index. */
    public double at(int... idx) {
        return v[ravel(shape, idx)];
    }

    /** Elementwise {@code f(x)}. */
    public Ref map(DoubleUnaryOperator f) {
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(v[i]);
        }
        return new Ref(shape, r);
    }

    /** The NumPy broadcast of two shapes, or null when they do not broadcast. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int x = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int y = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                return null;
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** This array broadcast (copied) to {@code target}. */
    public Ref expand(int[] target) {
        int lead = target.length - shape.length;
        double[] r = new double[numel(target)];
        int[] st = strides(shape);
        int[] idx = new int[target.length];
        for (int i = 0; i < r.length; i++) {
            int p = 0;
            for (int d = 0; d < shape.length; d++) {
                p += (shape[d] == 1 ? 0 : idx[d + lead]) * st[d];
            }
            r[i] = v[p];
            for (int d = target.length - 1; d >= 0; d--) {
                if (++idx[d] < target[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Ref(target, r);
    }

    /** Elementwise {@code f(a, b)} with broadcasting. */
    public static Ref zip(Ref a, Ref b, DoubleBinaryOperator f) {
        int[] s = broadcastShape(a.shape, b.shape);
        if (s == null) {
            throw new IllegalArgumentException("Ref.zip: not broadcastable " + Arrays.toString(a.shape) + " "
                    + Arrays.toString(b.shape));
        }
        Ref x = Arrays.equals(s, a.shape) ? a : a.expand(s);
        Ref y = Arrays.equals(s, b.shape) ? b : b.expand(s);
        double[] r = new double[x.v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x.v[i], y.v[i]);
        }
        return new Ref(s, r);
    }

    /** The dims reordered: result dim {@code i} is this array's dim {@code dims[i]}. */
    public Ref permute(int... dims) {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = shape[dims[i]];
        }
        int[] st = strides(shape);
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(s, i);
            int p = 0;
            for (int d = 0; d < dims.length; d++) {
                p += idx[d] * st[dims[d]];
            }
            r[i] = v[p];
        }
        return new Ref(s, r);
    }

    /** Same values with another shape. */
    public Ref reshape(int... newShape) {
        return new Ref(newShape, v);
    }

    /** Normalised mask of the reduced dims ({@code null}: all). */
    public boolean[] mask(int[] dims) {
        boolean[] m = new boolean[shape.length];
        if (shape.length == 0) {
            return m;
        }
        if (dims == null) {
            Arrays.fill(m, true);
        } else {
            for (int d : dims) {
                m[d < 0 ? d + shape.length : d] = true;
            }
        }
        return m;
    }

    /**
     * Reduces the dims in {@code dims} ({@code null}: all) by handing each group of values (in row-major order) to
     * {@code f}.
     */
    public Ref reduce(int[] dims, boolean keepDim, ToDoubleFunction<double[]> f) {
        boolean[] m = mask(dims);
        int[] keep = shape.clone();
        int groupSize = 1;
        int kept = 0;
        for (int d = 0; d < shape.length; d++) {
            if (m[d]) {
                groupSize *= shape[d];
                keep[d] = 1;
            } else {
                kept++;
            }
        }
        int outN = numel(keep);
        double[][] groups = new double[outN][groupSize];
        int[] fill = new int[outN];
        for (int i = 0; i < v.length; i++) {
            int[] idx = unravel(shape, i);
            for (int d = 0; d < idx.length; d++) {
                if (m[d]) {
                    idx[d] = 0;
                }
            }
            int o = ravel(keep, idx);
            groups[o][fill[o]++] = v[i];
        }
        double[] r = new double[outN];
        for (int o = 0; o < outN; o++) {
            r[o] = f.applyAsDouble(groups[o]);
        }
        if (keepDim) {
            return new Ref(keep, r);
        }
        int[] s = new int[kept];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (!m[d]) {
                s[j++] = shape[d];
            }
        }
        return new Ref(s, r);
    }

    /** Values converted to {@code t} by the SPI's copy rules (truncation, low bits for U8, != 0 for BOOL). */
    public Ref castTo(DType t) {
        return map(x -> cast(x, t));
    }

    /** One value converted to {@code t} by the SPI's copy rules. */
    public static double cast(double x, DType t) {
        switch (t) {
            case F32: return (float) x;
            case F64: return x;
            case I32: return (int) (long) x;
            case I64: return (long) x;
            case U8: return ((long) x) & 0xFF;
            default: return x != 0 ? 1 : 0;
        }
    }

    /** A host array of {@code t}'s host type holding these values. */
    public Object toHost(DType t) {
        return toHost(v, t);
    }

    /** A host array of {@code t}'s host type holding {@code values}. */
    public static Object toHost(double[] values, DType t) {
        int n = values.length;
        switch (t) {
            case F32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) values[i];
                }
                return a;
            }
            case F64:
                return values.clone();
            case I32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) (long) values[i];
                }
                return a;
            }
            case I64: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (long) values[i];
                }
                return a;
            }
            case U8: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) (long) values[i];
                }
                return a;
            }
            default: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) (values[i] != 0 ? 1 : 0);
                }
                return a;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ scalar math

    /** Gauss error function to about 1e-15 (series with positive terms, no cancellation). */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);
        }
        // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1))
        double term = ax;
        double sum = ax;
        double x2 = ax * ax;
        for (int n = 1; n < 500; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        double r = 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
        return Math.copySign(Math.min(r, 1.0), x);
    }

    /** The logistic sigmoid, computed stably. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** max with NaN propagation. */
    public static double maxNaN(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    /** min with NaN propagation. */
    public static double minNaN(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
    }

    /** Reference of a comparison or logical binary op: 1 or 0. */
    public static double compareOrLogical(BinaryOp op, double x, double y) {
        switch (op) {
            case EQ: return x == y ? 1 : 0;
            case NE: return x != y ? 1 : 0;
            case LT: return x < y ? 1 : 0;
            case LE: return x <= y ? 1 : 0;
            case GT: return x > y ? 1 : 0;
            case GE: return x >= y ? 1 : 0;
            case AND: return x != 0 && y != 0 ? 1 : 0;
            case OR: return x != 0 || y != 0 ? 1 : 0;
            case XOR: return (x != 0) != (y != 0) ? 1 : 0;
            default: throw new AssertionError("not a comparison or logical op: " + op);
        }
    }

    /** Element {@code (i, j)} of matrix {@code z} of a batch of matrices. */
    public interface MatrixEntry {
        /** The entry. */
        double at(int z, int i, int j);
    }

    /** Receives one element of a batched product. */
    public interface ProductVisitor {
        /** {@code sum = sum_q a(z, i, q) * b(z, q, j)}, summed in order of q, and {@code magnitude = sum_q |a * b|}. */
        void accept(int z, int i, int j, double sum, double magnitude);
    }

    /**
     * The batched product {@code c[z] = a[z] @ b[z]} of {@code batch} matrices ({@code m x k} times {@code k x n}),
     * in double, visiting each output element with its sum and the magnitude that bounds its rounding error.
     */
    public static void matmul(int batch, int m, int n, int k, MatrixEntry a, MatrixEntry b, ProductVisitor out) {
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double magnitude = 0;
                    for (int q = 0; q < k; q++) {
                        double t = a.at(z, i, q) * b.at(z, q, j);
                        s += t;
                        magnitude += Math.abs(t);
                    }
                    out.accept(z, i, j, s, magnitude);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Ref" + Arrays.toString(shape) + (v.length <= 20 ? Arrays.toString(v) : "");
    }
}
