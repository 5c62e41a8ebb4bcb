package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The fused in-place updates of the optimizers ({@code Backend.addcmulInPlace}, {@code addcdivInPlace} and
 * {@code adamUpdate}) over contiguous F32 arrays: one pass, no temporaries. Each element is rounded exactly as the
 * composite does it ({@code (a * b) * value}, then added; Adam's steps one by one, scalars in F32), so the results are
 * bit-identical to it. F64 is not a speed target: it declines, and the caller runs the composite.
 */
final class UpdateKernels {
    private UpdateKernels() {
    }

    /** True if every view is contiguous and F32 ({@code b} may be null). */
    static boolean handles(View d, View a, View b) {
        return d.dtype == DType.F32 && d.isContiguous() && a.dtype == d.dtype && a.isContiguous()
                && (b == null || (b.dtype == d.dtype && b.isContiguous()));
    }

    /** {@code d += value * a * b}, or {@code d += value * a} without b; {@code divide}: {@code d += value * a / b}. */
    static void update(Parallel par, View d, View a, View b, double value, boolean divide) {
        int n = d.numel();
        int tasks = Parallel.tasksFor(n, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> {
            int i0 = (int) ((long) n * t / tasks);
            int i1 = (int) ((long) n * (t + 1) / tasks);
            float[] bd = b == null ? null : (float[]) b.data;
            f32((float[]) d.data, d.offset, (float[]) a.data, a.offset, bd, b == null ? 0 : b.offset, (float) value,
                    value != 1, divide, i0, i1);
        });
    }

    private static void f32(float[] d, int od, float[] a, int oa, float[] b, int ob, float v, boolean scale, boolean divide,
            int i0, int i1) {
        if (b == null) {
            for (int i = i0; i < i1; i++) {
                d[od + i] += a[oa + i] * v;
            }
        } else if (divide) {
            for (int i = i0; i < i1; i++) {
                float t = a[oa + i] / b[ob + i];
                d[od + i] += scale ? t * v : t;
            }
        } else {
            for (int i = i0; i < i1; i++) {
                float t = a[oa + i] * b[ob + i];
                d[od + i] += scale ? t * v : t;
            }
        }
    }

    /**
     * {@code Backend.adamUpdate} on contiguous F32 arrays ({@code vmax} null without AMSGrad): the composite's eight
     * in-place ops as one loop per element.
     */
    static void adam(Parallel par, View p, View g, View m, View v, View vmax, double beta1, double beta2, double stepSize,
            double bc2Sqrt, double eps) {
        int n = p.numel();
        int tasks = Parallel.tasksFor(n, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> {
            int i0 = (int) ((long) n * t / tasks);
            int i1 = (int) ((long) n * (t + 1) / tasks);
            adamF32((float[]) p.data, p.offset, (float[]) g.data, g.offset, (float[]) m.data, m.offset, (float[]) v.data,
                    v.offset, vmax == null ? null : (float[]) vmax.data, vmax == null ? 0 : vmax.offset, (float) beta1,
                    (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) -stepSize, (float) bc2Sqrt,
                    (float) eps, i0, i1);
        });
    }

    private static void adamF32(float[] p, int op, float[] g, int og, float[] m, int om, float[] v, int ov, float[] vmax,
            int ox, float b1, float c1, float b2, float c2, float step, float bc2, float eps, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            float gi = g[og + i];
            float mi = m[om + i] * b1 + gi * c1;
            float vi = v[ov + i] * b2 + (gi * gi) * c2;
            m[om + i] = mi;
            v[ov + i] = vi;
            float second = vi;
            if (vmax != null) {
                second = Math.max(vmax[ox + i], vi);
                vmax[ox + i] = second;
            }
            float denom = (float) Math.sqrt(second) / bc2 + eps;
            p[op + i] += (mi / denom) * step;
        }
    }
}
