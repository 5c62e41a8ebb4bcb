package dev.kasane.backend.cpu;

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
        Object one = d.dtype.newHostArray(1);
        Convert.storeDouble(new double[] {value}, 1, one, d.dtype, 0, 1);
        copyOver(par, d, template(d, one));
    }

    /** {@code d[i] = value} with the I64-to-dtype conversion of {@link Convert#storeLong}. */
    static void fill(Parallel par, View d, long value) {
        Object one = d.dtype.newHostArray(1);
        Convert.storeLong(new long[] {value}, 1, one, d.dtype, 0, 1);
        copyOver(par, d, template(d, one));
    }

    /** The converted value {@code one[0]} repeated over a run of up to {@link #TEMPLATE} elements of d's array type. */
    private static Object template(View d, Object one) {
        int t = templateLength(d);
        Object template = d.dtype.newHostArray(t);
        System.arraycopy(one, 0, template, 0, 1);
        for (int have = 1; have < t; have *= 2) {
            System.arraycopy(template, 0, template, have, Math.min(have, t - have));
        }
        return template;
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
