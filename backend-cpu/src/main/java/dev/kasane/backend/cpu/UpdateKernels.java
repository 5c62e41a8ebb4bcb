package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The fused in-place updates of the optimizers ({@code Backend.addcmulInPlace} and {@code addcdivInPlace}) over
 * contiguous F32 or F64 arrays of one dtype: one pass, no temporaries. Each element is rounded exactly as the
 * composite does it ({@code (a * b) * value}, then added), so the results are bit-identical to it.
 */
final class UpdateKernels {
    private UpdateKernels() {
    }

    /** True if every view is contiguous and of {@code d}'s dtype, F32 or F64 ({@code b} may be null). */
    static boolean handles(View d, View a, View b) {
        return (d.dtype == DType.F32 || d.dtype == DType.F64) && d.isContiguous() && a.dtype == d.dtype && a.isContiguous()
                && (b == null || (b.dtype == d.dtype && b.isContiguous()));
    }

    /** {@code d += value * a * b}, or {@code d += value * a} without b; {@code divide}: {@code d += value * a / b}. */
    static void update(Parallel par, View d, View a, View b, double value, boolean divide) {
        int n = d.numel();
        int tasks = Parallel.tasksFor(n, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> {
            int i0 = (int) ((long) n * t / tasks);
            int i1 = (int) ((long) n * (t + 1) / tasks);
            if (d.dtype == DType.F32) {
                float[] bd = b == null ? null : (float[]) b.data;
                f32((float[]) d.data, d.offset, (float[]) a.data, a.offset, bd, b == null ? 0 : b.offset, (float) value,
                        value != 1, divide, i0, i1);
            } else {
                double[] bd = b == null ? null : (double[]) b.data;
                f64((double[]) d.data, d.offset, (double[]) a.data, a.offset, bd, b == null ? 0 : b.offset, value,
                        value != 1, divide, i0, i1);
            }
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

    private static void f64(double[] d, int od, double[] a, int oa, double[] b, int ob, double v, boolean scale,
            boolean divide, int i0, int i1) {
        if (b == null) {
            for (int i = i0; i < i1; i++) {
                d[od + i] += a[oa + i] * v;
            }
        } else if (divide) {
            for (int i = i0; i < i1; i++) {
                double t = a[oa + i] / b[ob + i];
                d[od + i] += scale ? t * v : t;
            }
        } else {
            for (int i = i0; i < i1; i++) {
                double t = a[oa + i] * b[ob + i];
                d[od + i] += scale ? t * v : t;
            }
        }
    }
}
