package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;

/**
 * Batch normalization of contiguous F32 arrays {@code [N, C, S...]}, one channel per work item (the
 * {@code FusedBatchNorm} kernels: training mode, and the inference mode's {@link #scaleShift}). Forward: the mean, the variance (two-pass,
 * around the mean) and {@code y = x * scale + shift}, three reads and one write of the input instead of the
 * composite's ten passes. Backward: {@code sum(g)} and {@code sum(g * (x - mean))}, then
 * {@code dx = a * g + b * x + c} per channel. Statistics are accumulated in double, channel by channel in a fixed
 * order, so results do not depend on the thread count.
 */
final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /** True for the layouts handled here: contiguous F32 input and per-channel arrays (or null). */
    static boolean handles(View... views) {
        for (View v : views) {
            if (v != null && (v.dtype != DType.F32 || !v.isContiguous())) {
                return false;
            }
        }
        return true;
    }

    /** {y, mean, var} of {@code x}; weight and bias may be null. */
    static NDArray[] forward(Parallel par, View x, View weight, View bias, double eps) {
        int n = x.shape[0];
        int c = x.shape[1];
        int s = x.numel() / (n * c);
        float[] xd = (float[]) x.data;
        float[] y = (float[]) HostArrayPool.shared().takeUninitialized(DType.F32, x.numel());
        float[] mean = new float[c];
        float[] var = new float[c];
        VectorSupport.SumF32 sum = VectorSupport.sumF32();
        forChannels(par, x.numel(), c, ch -> {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += sum.sum(xd, x.offset + (i * c + ch) * s, s);
            }
            double m = total / ((double) n * s);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                sq += squaredDeviations(xd, x.offset + (i * c + ch) * s, s, (float) m);
            }
            double v = sq / ((double) n * s);
            mean[ch] = (float) m;
            var[ch] = (float) v;
            double inv = 1.0 / Math.sqrt(v + eps);
            double w = weight == null ? 1.0 : ((float[]) weight.data)[weight.offset + ch];
            double b = bias == null ? 0.0 : ((float[]) bias.data)[bias.offset + ch];
            float scale = (float) (inv * w);
            float shift = (float) (b - m * inv * w);
            for (int i = 0; i < n; i++) {
                int at = (i * c + ch) * s;
                affine(xd, x.offset + at, 0f, y, at, s, scale, shift, 0f, null, 0);
            }
        });
        return new NDArray[] {NDArray.fromHost(y, DType.F32, Device.CPU, x.shape), NDArray.fromHost(mean, DType.F32, Device.CPU, c),
            NDArray.fromHost(var, DType.F32, Device.CPU, c)};
    }

    /**
     * {@code x * scale + shift} per channel (inference mode), plus {@code residual} (x's shape, or null), then
     * {@code max(v, 0)} with {@code relu}: one read and one write of x, into {@code y} from {@code yOff} in x's dense
     * order ({@code y} may be x's own array at x's offset).
     */
    static void scaleShift(Parallel par, View x, View scale, View shift, View residual, boolean relu, float[] y, int yOff) {
        int n = x.shape[0];
        int c = x.shape[1];
        int s = x.numel() / Math.max(1, n * c);
        float[] xd = (float[]) x.data;
        float[] sc = (float[]) scale.data;
        float[] sh = (float[]) shift.data;
        float[] rd = residual == null ? null : (float[]) residual.data;
        int rOff = residual == null ? 0 : residual.offset;
        VectorSupport.RowsF32 rows = VectorSupport.rowsF32();
        forChannels(par, x.numel(), c, ch -> {
            float a = sc[scale.offset + ch];
            float b = sh[shift.offset + ch];
            for (int i = 0; i < n; i++) {
                int at = (i * c + ch) * s;
                rows.scaleShift(xd, x.offset + at, a, b, rd, rOff + at, relu, y, yOff + at, s);
            }
        });
    }

    /** {dx, dweight (null without weight), dbias}. */
    static NDArray[] backward(Parallel par, View g, View x, View weight, View meanV, View varV, double eps) {
        int n = x.shape[0];
        int c = x.shape[1];
        int s = x.numel() / (n * c);
        long count = (long) n * s;
        float[] gd = (float[]) g.data;
        float[] xd = (float[]) x.data;
        float[] dx = (float[]) HostArrayPool.shared().takeUninitialized(DType.F32, x.numel());
        float[] dw = weight == null ? null : new float[c];
        float[] db = new float[c];
        VectorSupport.SumF32 sum = VectorSupport.sumF32();
        forChannels(par, x.numel(), c, ch -> {
            float m = ((float[]) meanV.data)[meanV.offset + ch];
            double inv = 1.0 / Math.sqrt(((float[]) varV.data)[varV.offset + ch] + eps);
            double sg = 0;
            double sgx = 0;
            for (int i = 0; i < n; i++) {
                int at = (i * c + ch) * s;
                sg += sum.sum(gd, g.offset + at, s);
                sgx += dotCentered(gd, g.offset + at, xd, x.offset + at, s, m);
            }
            db[ch] = (float) sg;
            if (dw != null) {
                dw[ch] = (float) (sgx * inv);
            }
            double w = weight == null ? 1.0 : ((float[]) weight.data)[weight.offset + ch];
            // dx = w*inv*(g - sg/count - (x - m)*inv^2*sgx/count) = a*g + b*(x - m) + k
            double a = w * inv;
            double b = -a * inv * inv * sgx / count;
            double k = -a * sg / count;
            for (int i = 0; i < n; i++) {
                int at = (i * c + ch) * s;
                affine(xd, x.offset + at, m, dx, at, s, (float) b, (float) k, (float) a, gd, g.offset + at);
            }
        });
        return new NDArray[] {NDArray.fromHost(dx, DType.F32, Device.CPU, x.shape),
            dw == null ? null : NDArray.fromHost(dw, DType.F32, Device.CPU, c), NDArray.fromHost(db, DType.F32, Device.CPU, c)};
    }

    /**
     * {@code d[dOff + j] = (x[xOff + j] - center) * scale + shift (+ ga * g[gOff + j])} for {@code j < n}. The forward
     * pass uses center 0 with the mean folded into the shift, as PyTorch's CPU kernel does; the backward keeps x
     * centered, as its terms nearly cancel.
     */
    private static void affine(float[] x, int xOff, float center, float[] d, int dOff, int n, float scale, float shift,
            float ga, float[] g, int gOff) {
        if (g == null) {
            for (int j = 0; j < n; j++) {
                d[dOff + j] = (x[xOff + j] - center) * scale + shift;
            }
        } else {
            for (int j = 0; j < n; j++) {
                d[dOff + j] = ga * g[gOff + j] + (x[xOff + j] - center) * scale + shift;
            }
        }
    }

    private static double squaredDeviations(float[] x, int off, int n, float m) {
        double s0 = 0;
        double s1 = 0;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            double d0 = x[off + j] - m;
            double d1 = x[off + j + 1] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        if (j < n) {
            double d = x[off + j] - m;
            s0 += d * d;
        }
        return s0 + s1;
    }

    private static double dotCentered(float[] g, int gOff, float[] x, int xOff, int n, float m) {
        double s0 = 0;
        double s1 = 0;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            s0 += (double) g[gOff + j] * (x[xOff + j] - m);
            s1 += (double) g[gOff + j + 1] * (x[xOff + j + 1] - m);
        }
        if (j < n) {
            s0 += (double) g[gOff + j] * (x[xOff + j] - m);
        }
        return s0 + s1;
    }

    /** Runs {@code body} for every channel, channels grouped into tasks by the total size only. */
    private static void forChannels(Parallel par, int numel, int c, java.util.function.IntConsumer body) {
        int tasks = Math.min(c, Parallel.tasksFor(numel, CpuBackend.GRAIN, 64));
        par.run(tasks, t -> {
            for (int ch = c * t / tasks; ch < c * (t + 1) / tasks; ch++) {
                body.accept(ch);
            }
        });
    }
}
