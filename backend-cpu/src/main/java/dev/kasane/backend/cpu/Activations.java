package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;

/**
 * One-pass ReLU/LeakyReLU kernels of the CPU backend (the overrides of {@code Backend.leakyRelu},
 * {@code leakyReluBackward} and {@code reluBackward}) for contiguous F32 and F64 arrays; the backend falls back to
 * the composite defaults for other layouts. The masked selects of the backward passes go through
 * {@link VectorSupport#selectF32()} (Vector API blends when the SIMD path is on: a data-dependent branch per element
 * mispredicts half the time on activations).
 */
final class Activations {
    private Activations() {
    }

    /** True if the arrays are dense row-major F32 or F64 views, the layouts these kernels handle. */
    static boolean handles(View... views) {
        for (View v : views) {
            if ((v.dtype != DType.F32 && v.dtype != DType.F64) || !v.isContiguous()) {
                return false;
            }
        }
        return true;
    }

    /** {@code x > 0 ? x : slope * x}. */
    static NDArray leakyRelu(Parallel par, View x, double slope) {
        int n = x.numel();
        Object out = HostArrayPool.shared().takeUninitialized(x.dtype, n);
        split(par, n, (i0, i1) -> {
            if (out instanceof float[]) {
                leakyReluF32((float[]) x.data, x.offset, (float[]) out, i0, i1, (float) slope);
            } else {
                leakyReluF64((double[]) x.data, x.offset, (double[]) out, i0, i1, slope);
            }
        });
        return NDArray.fromHost(out, x.dtype, Device.CPU, x.shape);
    }

    /** {@code y <= 0 ? 0 : g}: a NaN {@code y} passes the gradient, as PyTorch's threshold_backward. */
    static NDArray reluBackward(Parallel par, View g, View y) {
        VectorSupport.SelectF32 sel = VectorSupport.selectF32();
        return maskedBackward(par, g, y,
                (gd, go, yd, yo, d, i0, i1) -> sel.reluBackward(gd, go + i0, yd, yo + i0, d, i0, i1 - i0),
                (gd, go, yd, yo, d, i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        d[i] = yd[yo + i] <= 0 ? 0.0 : gd[go + i];
                    }
                });
    }

    /** {@code x > 0 ? g : slope * g}. */
    static NDArray leakyReluBackward(Parallel par, View g, View x, double slope) {
        VectorSupport.SelectF32 sel = VectorSupport.selectF32();
        return maskedBackward(par, g, x,
                (gd, go, xd, xo, d, i0, i1) -> sel.leakyReluBackward(gd, go + i0, xd, xo + i0, d, i0, i1 - i0, (float) slope),
                (gd, go, xd, xo, d, i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        double gv = gd[go + i];
                        d[i] = xd[xo + i] > 0 ? gv : gv * slope;
                    }
                });
    }

    /** {@code min <= x <= max ? g : 0} with the bounds in the arrays' dtype; a NaN {@code x} gets 0. */
    static NDArray clampBackward(Parallel par, View g, View x, double min, double max) {
        VectorSupport.SelectF32 sel = VectorSupport.selectF32();
        return maskedBackward(par, g, x,
                (gd, go, xd, xo, d, i0, i1) -> sel.clampBackward(gd, go + i0, xd, xo + i0, d, i0, i1 - i0, (float) min,
                        (float) max),
                (gd, go, xd, xo, d, i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        double xv = xd[xo + i];
                        d[i] = xv >= min && xv <= max ? gd[go + i] : 0.0;
                    }
                });
    }

    /**
     * Elements {@code [i0, i1)} of a backward select: {@code d[i]} from the gradient {@code g[go + i]} and the saved
     * activation {@code x[xo + i]}.
     *
     * @param <A> the arrays' host type, {@code float[]} or {@code double[]}
     */
    private interface MaskedRange<A> {
        void run(A g, int go, A x, int xo, A d, int i0, int i1);
    }

    /**
     * A backward select over contiguous {@code g} and {@code x} into a new array shaped as {@code g}, range by range
     * with {@code f32} or {@code f64} (one call per range: each keeps its own loop).
     */
    private static NDArray maskedBackward(Parallel par, View g, View x, MaskedRange<float[]> f32, MaskedRange<double[]> f64) {
        int n = g.numel();
        Object out = HostArrayPool.shared().takeUninitialized(g.dtype, n);
        split(par, n, (i0, i1) -> {
            if (out instanceof float[] d) {
                f32.run((float[]) g.data, g.offset, (float[]) x.data, x.offset, d, i0, i1);
            } else {
                f64.run((double[]) g.data, g.offset, (double[]) x.data, x.offset, (double[]) out, i0, i1);
            }
        });
        return NDArray.fromHost(out, g.dtype, Device.CPU, g.shape);
    }

    /**
     * LeakyReLU as a max (slope at most 1) or a min (slope above 1) of {@code x} and {@code slope * x}, which C2
     * vectorises; equal to the select everywhere except {@code +inf} with slope 0, which the select keeps.
     */
    private static void leakyReluF32(float[] x, int xo, float[] d, int i0, int i1, float slope) {
        if (slope == 0f) {
            for (int i = i0; i < i1; i++) {
                float v = x[xo + i];
                d[i] = v > 0 ? v : v * slope;
            }
        } else if (slope <= 1f) {
            for (int i = i0; i < i1; i++) {
                float v = x[xo + i];
                d[i] = Math.max(v, v * slope);
            }
        } else {
            for (int i = i0; i < i1; i++) {
                float v = x[xo + i];
                d[i] = Math.min(v, v * slope);
            }
        }
    }

    private static void leakyReluF64(double[] x, int xo, double[] d, int i0, int i1, double slope) {
        for (int i = i0; i < i1; i++) {
            double v = x[xo + i];
            d[i] = v > 0 ? v : v * slope;
        }
    }

    private interface Range {
        void run(int i0, int i1);
    }

    /** Cuts {@code [0, n)} into tasks by size alone (results never depend on the thread count here anyway). */
    private static void split(Parallel par, int n, Range body) {
        int tasks = Parallel.tasksFor(n, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }
}
