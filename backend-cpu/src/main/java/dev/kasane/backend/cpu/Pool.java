package dev.kasane.backend.cpu;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;

/**
 * Direct max pooling with indices (the override of {@code Backend.maxPool2d}): one pass over each window, cells
 * outside the input (padding, and the extra cells of ceil mode) count as negative infinity, the first maximum wins,
 * a NaN is the maximum (the first NaN wins), and the index is {@code iy * W + ix} within the plane, computed for
 * padding cells too, exactly as the composite {@code Convolution.maxPool2d}. Planes are spread over threads.
 */
final class Pool {
    private Pool() {
    }

    /** Values and indices of every window into {@code valuesDst} and {@code indicesDst} [n, c, oh, ow]. */
    static void maxPool2d(Parallel par, View xv, int kh, int kw, Conv2dSpec spec, View valuesDst, View indicesDst) {
        Conv.into(par, valuesDst, vals -> Conv.into(par, indicesDst, idx -> run(par, Conv.dense(par, xv), kh, kw, spec,
                valuesDst.shape[2], valuesDst.shape[3], vals, (long[]) idx)));
    }

    private static void run(Parallel par, View x, int kh, int kw, Conv2dSpec spec, int oh, int ow, Object vals, long[] idx) {
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int planes = n * c;
        int plane = oh * ow;
        DType dt = x.dtype;
        long work = (long) planes * plane * kh * kw;
        int tasks = Parallel.tasksFor(work, CpuBackend.GRAIN, Math.min(64, planes));
        par.run(tasks, t -> {
            int p0 = (int) ((long) planes * t / tasks);
            int p1 = (int) ((long) planes * (t + 1) / tasks);
            for (int p = p0; p < p1; p++) {
                if (dt == DType.F32) {
                    planeF32((float[]) x.data, x.offset + p * h * w, h, w, kh, kw, spec, oh, ow, (float[]) vals, idx, p * plane);
                } else {
                    planeF64((double[]) x.data, x.offset + p * h * w, h, w, kh, kw, spec, oh, ow, (double[]) vals, idx, p * plane);
                }
            }
        });
    }

    private static void planeF32(float[] x, int xOff, int h, int w, int kh, int kw, Conv2dSpec s, int oh, int ow,
            float[] vals, long[] idx, int oOff) {
        int sh = s.strideH(), sw = s.strideW(), ph = s.padH(), pw = s.padW(), dh = s.dilationH(), dw = s.dilationW();
        boolean twoByTwo = kh == 2 && kw == 2 && dh == 1 && dw == 1;
        VectorSupport.SelectF32 sel = VectorSupport.selectF32();
        for (int oy = 0, o = oOff; oy < oh; oy++, o += ow) {
            int y0 = oy * sh - ph;
            boolean rowsIn = y0 >= 0 && y0 + (kh - 1) * dh < h;
            // Stride-2 pools (2x2 and 3x3 are the common ones): the windows inside the plane [oxA, oxB) of this row go
            // as one run.
            int oxA = 0;
            int oxB = 0;
            if (rowsIn && sw == 2) {
                oxA = Math.min(ow, (pw + 1) / 2);
                oxB = Math.max(oxA, Math.min(ow, Math.floorDiv(w - 1 + pw - (kw - 1) * dw, 2) + 1));
            }
            for (int ox = 0; ox < oxA; ox++) {
                windowF32(x, xOff, h, w, kh, kw, dh, dw, y0, ox * sw - pw, rowsIn, vals, idx, o + ox);
            }
            if (oxB > oxA) {
                int x0 = 2 * oxA - pw;
                if (twoByTwo) {
                    sel.maxPool2x2(x, xOff + y0 * w + x0, w, oxB - oxA, vals, idx, o + oxA, (long) y0 * w + x0);
                } else {
                    sel.maxPoolStride2(x, xOff + y0 * w + x0, w, kh, kw, dh, dw, oxB - oxA, vals, idx, o + oxA,
                            (long) y0 * w + x0);
                }
            }
            for (int ox = oxB; ox < ow; ox++) {
                windowF32(x, xOff, h, w, kh, kw, dh, dw, y0, ox * sw - pw, rowsIn, vals, idx, o + ox);
            }
        }
    }

    /** Output {@code o}: the window with top-left cell (y0, x0), inside the plane or not. */
    private static void windowF32(float[] x, int xOff, int h, int w, int kh, int kw, int dh, int dw, int y0, int x0,
            boolean rowsIn, float[] vals, long[] idx, int o) {
        if (rowsIn && x0 >= 0 && x0 + (kw - 1) * dw < w) {
            interiorF32(x, xOff, w, y0, x0, kh, kw, dh, dw, vals, idx, o);
        } else {
            window(x, xOff, h, w, kh, kw, dh, dw, y0, x0, vals, idx, o);
        }
    }

    /**
     * Output {@code o} of F32 or F64 {@code x} (and {@code vals}) by the reference rule, with bounds checks: the window
     * with top-left cell (y0, x0) scanned in row-major order, cells outside the plane read as negative infinity, the
     * first maximum or else the first NaN. F64's only path (F64 is for exactness, not speed), F32's for the windows that
     * cross the plane's border; values compare in double, which orders floats as float does.
     */
    private static void window(Object x, int xOff, int h, int w, int kh, int kw, int dh, int dw, int y0, int x0, Object vals,
            long[] idx, int o) {
        double best = 0;
        long bi = 0;
        boolean first = true;
        for (int i = 0; i < kh; i++) {
            int iy = y0 + i * dh;
            boolean rowIn = iy >= 0 && iy < h;
            int rowOff = xOff + iy * w;
            for (int j = 0; j < kw; j++) {
                int ix = x0 + j * dw;
                double v = rowIn && ix >= 0 && ix < w ? read(x, rowOff + ix) : Double.NEGATIVE_INFINITY;
                if (first) {
                    first = false;
                    best = v;
                    bi = (long) iy * w + ix;
                } else if (best == best && (v > best || v != v)) {
                    best = v;
                    bi = (long) iy * w + ix;
                }
            }
        }
        if (vals instanceof float[] f) {
            f[o] = (float) best;
        } else {
            ((double[]) vals)[o] = best;
        }
        idx[o] = bi;
    }

    private static double read(Object x, int i) {
        return x instanceof float[] f ? f[i] : ((double[]) x)[i];
    }

    /** Output {@code o} of a window entirely inside the plane, top-left cell (y0, x0): {@link #firstMax}. */
    private static void interiorF32(float[] x, int xOff, int w, int y0, int x0, int kh, int kw, int dh, int dw,
            float[] vals, long[] idx, int o) {
        int base = xOff + y0 * w + x0;
        int bi = firstMax(x, base, w, kh, kw, dh, dw);
        vals[o] = x[base + bi];
        idx[o] = (long) y0 * w + x0 + bi;
    }

    /**
     * The offset from {@code base} of the maximum of a window inside the plane (rows {@code w} apart), by the reference
     * rule: no bounds checks, and no unpredictable branches (random data would mispredict every other one): the
     * offset of the first maximum is tracked with integer selects against the running {@code Math.max}, and the
     * caller reads the value back from it (so the first of -0.0 and 0.0 wins, as in the composite). A window with a
     * NaN is rescanned for its first NaN, the maximum by PyTorch's rule.
     */
    static int firstMax(float[] x, int base, int w, int kh, int kw, int dh, int dw) {
        float m = x[base];
        boolean nan = m != m;
        int bi = 0;
        for (int i = 0; i < kh; i++) {
            int r = i * dh * w;
            for (int j = 0; j < kw; j++) {
                int at = r + j * dw;
                float v = x[base + at];
                nan |= v != v;
                bi = v > m ? at : bi;
                m = Math.max(m, v);
            }
        }
        return nan ? firstNaN(x, base, w, kh, kw, dh, dw) : bi;
    }

    /** Offset from {@code base} of the first NaN of a window that has one, in row-major order. */
    private static int firstNaN(float[] x, int base, int w, int kh, int kw, int dh, int dw) {
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int at = i * dh * w + j * dw;
                if (x[base + at] != x[base + at]) {
                    return at;
                }
            }
        }
        throw new IllegalStateException("maxPool2d: no NaN in the window");
    }

    private static void planeF64(double[] x, int xOff, int h, int w, int kh, int kw, Conv2dSpec s, int oh, int ow,
            double[] vals, long[] idx, int oOff) {
        for (int oy = 0, o = oOff; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, o++) {
                window(x, xOff, h, w, kh, kw, s.dilationH(), s.dilationW(), oy * s.strideH() - s.padH(),
                        ox * s.strideW() - s.padW(), vals, idx, o);
            }
        }
    }
}
