package dev.kasane.tensor;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;

/**
 * The bodies of {@link NDArray}'s computed factories: ranges, identity matrices and random draws. Values are made on
 * the host (in double, or long for integers) and uploaded once, so a device needs no F64 support for them.
 */
final class Factories {
    private Factories() {
    }

    /** {@link NDArray#arange(long, long, long, Device)}. */
    static NDArray arange(long start, long end, long step, Device device) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        long n = Math.max(0, step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many");
        }
        long[] v = longs("arange", device, (int) n);
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return NDArray.fromHost(v, DType.I64, device, v.length);
    }

    /** {@link NDArray#arange(double, double, double)}. */
    static NDArray arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        double n = Math.max(0, Math.ceil((end - start) / step));
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many");
        }
        double[] v = doubles("arange", DType.getDefault(), Device.getDefault(), (int) n);
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return ofDefaultDType("arange", v);
    }

    /** {@link NDArray#linspace}: the second half counts back from {@code end}, so both ends are exact. */
    static NDArray linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        double[] v = doubles("linspace", DType.getDefault(), Device.getDefault(), steps);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = (steps + 1) / 2;
        for (int i = 0; i < steps; i++) {
            v[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
        }
        return ofDefaultDType("linspace", v);
    }

    /** A 1-D array of the default dtype on the default device, converted on the host. */
    private static NDArray ofDefaultDType(String op, double[] v) {
        return fromDoubles(op, v, DType.getDefault(), Device.getDefault(), new int[] {v.length}, Double.NaN, Double.NaN);
    }

    /** {@link NDArray#eye(int, int, DType, Device)}: zeros with ones written through a diagonal view. */
    static NDArray eye(int n, int m, DType dtype, Device device) {
        if (n < 0 || m < 0) {
            throw new IllegalArgumentException("eye: sizes must be >= 0, got " + n + " x " + m);
        }
        NDArray out = NDArray.full("eye", 0, dtype, device, n, m);
        int k = Math.min(n, m);
        if (k > 0) {
            out.asStridedUnchecked(new int[] {k}, new int[] {m + 1}, 0).fillUnchecked(1);
        }
        return out;
    }

    /** {@link NDArray#uniform}. */
    static NDArray uniform(Generator gen, double lo, double hi, DType dtype, Device device, int[] shape) {
        Checks.requireFloatDType("uniform", dtype);
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("uniform: need finite lo <= hi, got [" + lo + ", " + hi + ")");
        }
        double[] v = doubles("uniform", dtype, device, shape);
        gen.fillUniform(v, lo, hi);
        return fromDoubles("uniform", v, dtype, device, shape, lo, hi);
    }

    /** {@link NDArray#normal}. */
    static NDArray normal(Generator gen, double mean, double std, DType dtype, Device device, int[] shape) {
        Checks.requireFloatDType("normal", dtype);
        if (!(std >= 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("normal: need finite mean and std >= 0, got mean " + mean + ", std " + std);
        }
        double[] v = doubles("normal", dtype, device, shape);
        gen.fillNormal(v, mean, std);
        return fromDoubles("normal", v, dtype, device, shape, Double.NaN, Double.NaN);
    }

    /**
     * {@code v} as an F64 or F32 array; F32 values that round up to {@code exclusiveHi} become the float below it (no
     * less than {@code lo}), so a draw from [lo, hi) stays below hi. NaN bounds leave every value as rounded.
     */
    private static NDArray fromDoubles(String op, double[] v, DType dtype, Device device, int[] shape, double lo,
            double exclusiveHi) {
        if (dtype == DType.F64) {
            return NDArray.fromHost(v, dtype, device, shape);
        }
        float[] f = Allocation.of(op, dtype, device, shape, n -> (float[]) DType.F32.newHostArray(n));
        float hi = (float) exclusiveHi;
        float low = (float) lo;
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
            if (f[i] >= hi) {
                f[i] = Math.max(Math.nextDown(hi), low);
            }
        }
        return NDArray.fromHost(f, dtype, device, shape);
    }

    /** {@link NDArray#randint(Generator, long, long, Device, int...)}. */
    static NDArray randint(Generator gen, long low, long high, Device device, int[] shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: need low < high, got [" + low + ", " + high + ")");
        }
        long[] v = longs("randint", device, shape);
        for (int i = 0; i < v.length; i++) {
            v[i] = low + gen.nextLong(high - low);
        }
        return NDArray.fromHost(v, DType.I64, device, shape);
    }

    /** {@link NDArray#randperm(Generator, int, Device)}: a Fisher-Yates shuffle of {@code 0..n-1}. */
    static NDArray randperm(Generator gen, int n, Device device) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be >= 0, got " + n);
        }
        long[] v = longs("randperm", device, n);
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) gen.nextLong(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return NDArray.fromHost(v, DType.I64, device, n);
    }

    /** The host values of an array of {@code dtype} and {@code shape} on {@code device}, allocated as {@code op}. */
    private static double[] doubles(String op, DType dtype, Device device, int... shape) {
        return Allocation.of(op, dtype, device, shape, n -> (double[]) DType.F64.newHostArray(n));
    }

    /** The host values of an I64 array of {@code shape} on {@code device}, allocated as {@code op}. */
    private static long[] longs(String op, Device device, int... shape) {
        return Allocation.of(op, DType.I64, device, shape, n -> (long[]) DType.I64.newHostArray(n));
    }

    /** {@link NDArray#bernoulli(Generator)}: 1 where a uniform draw is below the probability {@code p}. */
    static NDArray bernoulli(NDArray p, Generator gen) {
        String op = "bernoulli";
        Checks.requireFloat(op, p);
        NDArray u = uniform(gen, 0, 1, p.dtype(), p.device(), p.shape());
        NDArray outside = p.binary(BinaryOp.LT, 0.0).binary(BinaryOp.OR, p.binary(BinaryOp.GT, 1.0));
        if (outside.numel() > 0 && outside.reduce(ReduceOp.MAX).item() != 0) {
            throw new IllegalArgumentException(op + ": probabilities must be in [0, 1] for " + p.describe());
        }
        return u.binary(BinaryOp.LT, p).toType(p.dtype());
    }
}
