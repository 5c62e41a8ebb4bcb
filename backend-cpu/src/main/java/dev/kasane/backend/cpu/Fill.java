package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import java.util.Arrays;

/**
 * The fill primitive: the value is converted once to the destination's dtype (with {@link Convert}'s rules), then
 * written over the coalesced runs of the destination, {@link Arrays#fill} for contiguous runs.
 */
final class Fill {
    private Fill() {
    }

    /** {@code d[i] = value} with the F64-to-dtype conversion of {@link Convert#storeDouble}. */
    static void fill(Parallel par, View d, double value) {
        switch (d.dtype) {
            case F32: fillF32(par, d, (float) value); break;
            case F64: fillF64(par, d, value); break;
            case I32: fillI32(par, d, (int) value); break;
            case I64: fillI64(par, d, (long) value); break;
            case U8: fillBytes(par, d, (byte) (long) value); break;
            default: fillBytes(par, d, value != 0 ? (byte) 1 : (byte) 0); break;
        }
    }

    /** {@code d[i] = value} with the I64-to-dtype conversion of {@link Convert#storeLong}. */
    static void fill(Parallel par, View d, long value) {
        switch (d.dtype) {
            case F32: fillF32(par, d, (float) value); break;
            case F64: fillF64(par, d, (double) value); break;
            case I32: fillI32(par, d, (int) value); break;
            case I64: fillI64(par, d, value); break;
            case U8: fillBytes(par, d, (byte) value); break;
            default: fillBytes(par, d, value != 0 ? (byte) 1 : (byte) 0); break;
        }
    }

    private static Iteration.Plan plan(View d) {
        return Iteration.elementwise(d.shape, d);
    }

    private static void fillF32(Parallel par, View d, float v) {
        float[] a = (float[]) d.data;
        Iteration.Plan p = plan(d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                Arrays.fill(a, off[0], off[0] + n, v);
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    a[j] = v;
                }
            }
        });
    }

    private static void fillF64(Parallel par, View d, double v) {
        double[] a = (double[]) d.data;
        Iteration.Plan p = plan(d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                Arrays.fill(a, off[0], off[0] + n, v);
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    a[j] = v;
                }
            }
        });
    }

    private static void fillI32(Parallel par, View d, int v) {
        int[] a = (int[]) d.data;
        Iteration.Plan p = plan(d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                Arrays.fill(a, off[0], off[0] + n, v);
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    a[j] = v;
                }
            }
        });
    }

    private static void fillI64(Parallel par, View d, long v) {
        long[] a = (long[]) d.data;
        Iteration.Plan p = plan(d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                Arrays.fill(a, off[0], off[0] + n, v);
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    a[j] = v;
                }
            }
        });
    }

    private static void fillBytes(Parallel par, View d, byte v) {
        byte[] a = (byte[]) d.data;
        Iteration.Plan p = plan(d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                Arrays.fill(a, off[0], off[0] + n, v);
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    a[j] = v;
                }
            }
        });
    }
}
