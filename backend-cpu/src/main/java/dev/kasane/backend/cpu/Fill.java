package dev.kasane.backend.cpu;

import java.util.Arrays;

/**
 * The fill primitive: the value is converted once to the destination's dtype by {@link Convert} (so with its rules),
 * into a short template run of the destination's array type, which is then copied over the coalesced runs of the
 * destination (whole template copies along contiguous runs, one element at a time along strided ones).
 */
final class Fill {
    /** Elements of the template run, at most. */
    private static final int TEMPLATE = 2048;

    private Fill() {
    }

    /** {@code d[i] = value} with the F64-to-dtype conversion of {@link Convert#storeDouble}. */
    static void fill(Parallel par, View d, double value) {
        double[] v = new double[templateLength(d)];
        Arrays.fill(v, value);
        Object template = d.dtype.newHostArray(v.length);
        Convert.storeDouble(v, v.length, template, d.dtype, 0, 1);
        copyOver(par, d, template);
    }

    /** {@code d[i] = value} with the I64-to-dtype conversion of {@link Convert#storeLong}. */
    static void fill(Parallel par, View d, long value) {
        long[] v = new long[templateLength(d)];
        Arrays.fill(v, value);
        Object template = d.dtype.newHostArray(v.length);
        Convert.storeLong(v, v.length, template, d.dtype, 0, 1);
        copyOver(par, d, template);
    }

    private static int templateLength(View d) {
        return (int) Math.max(1, Math.min(TEMPLATE, d.numel()));
    }

    /** Copies {@code template} (every element the value) over every element of {@code d}. */
    private static void copyOver(Parallel par, View d, Object template) {
        Object a = d.data;
        int t = java.lang.reflect.Array.getLength(template);
        Iteration.Plan p = Iteration.elementwise(d.shape, d);
        int s = p.innerStride(0);
        Iteration.run(par, p, CpuBackend.GRAIN * 4, () -> (off, n) -> {
            if (s == 1 || n == 1) {
                for (int done = 0; done < n; done += t) {
                    System.arraycopy(template, 0, a, off[0] + done, Math.min(t, n - done));
                }
            } else {
                for (int i = 0, j = off[0]; i < n; i++, j += s) {
                    System.arraycopy(template, 0, a, j, 1);
                }
            }
        });
    }
}
