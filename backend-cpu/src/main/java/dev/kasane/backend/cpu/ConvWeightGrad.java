package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * The weight gradient's split into tasks, shared by its strategies. Tasks are (pixel chunk, group, channel chunk).
 * Channel chunks write disjoint columns of dW (no partial sums); pixel chunks each sum their share of the work units
 * into their own copy of dW, added in chunk order after. Pixel chunks are preferred (full-width GEMMs); channel chunks
 * make up the task count when the partial sums would take too much memory (large kernels with little spatial work,
 * e.g. 512 channels at 4x4). The split depends on the geometry only, not on the thread count.
 */
final class ConvWeightGrad {
    /** The weight gradient aims for this many tasks (a fixed number: the split must not depend on the thread count). */
    private static final int TASKS = 16;
    /** Columns of dW (channels x taps) per channel chunk, at least. */
    private static final int MIN_COLS = 128;
    /** Cap on the elements of the per-chunk partial sums. */
    private static final int PARTIAL_ELEMS = 1 << 22;
    /**
     * GEMM flops that each element of a pixel chunk's partial dW must come with: writing and summing a partial element
     * costs about as much as a few hundred flops, so little spatial work (an 8x8 bottleneck) takes few pixel chunks.
     */
    private static final int FLOPS_PER_PARTIAL = 1024;

    private ConvWeightGrad() {
    }

    /** One task's work: work units {@code [u0, u1)} for channels {@code [c0, c1)} of group {@code g}. */
    interface Task {
        /**
         * Sums the units' products into {@code partial}, whose columns for these channels start at {@code cOff}
         * (rows {@code og} of stride {@code kg}: dW_g of this pixel chunk).
         */
        void run(Object partial, int cOff, int g, int c0, int c1, int u0, int u1);
    }

    /**
     * dW {@code [o, cg, kh, kw]} into {@code dw} as the sum over {@code units} work units, split into tasks as described
     * above.
     */
    static void run(Parallel par, Conv.Geo gm, DType dt, Object dw, int units, Task task) {
        long flops = gm.flops();
        int part = gm.o * gm.kg;
        boolean small = Conv.serial(gm);
        int pChunks = small ? 1 : Math.max(1, Math.min((int) Math.min(units, flops / ((long) FLOPS_PER_PARTIAL * part)),
                Math.min((TASKS + gm.g - 1) / gm.g, Math.max(1, PARTIAL_ELEMS / part))));
        int cChunks = small || pChunks * gm.g >= TASKS ? 1
                : Math.max(1, Math.min(Math.min(gm.cg, gm.kg / MIN_COLS), (TASKS + gm.g * pChunks - 1) / (gm.g * pChunks)));
        // one pixel chunk sums straight into dw (its first unit overwrites, the others add)
        Object partial = pChunks == 1 ? dw : HostArrayPool.shared().take(dt, pChunks * part);
        par.run(pChunks * gm.g * cChunks, t -> {
            int pc = t / (gm.g * cChunks);
            int g = t / cChunks % gm.g;
            int cc = t % cChunks;
            int c0 = g * gm.cg + gm.cg * cc / cChunks;
            int c1 = g * gm.cg + gm.cg * (cc + 1) / cChunks;
            int u0 = (int) ((long) units * pc / pChunks);
            int u1 = (int) ((long) units * (pc + 1) / pChunks);
            task.run(partial, pc * part + g * gm.og * gm.kg + (c0 - g * gm.cg) * gm.khw, g, c0, c1, u0, u1);
        });
        if (pChunks > 1) {
            reducePartials(par, partial, pChunks, part, dw);
            HostArrayPool.shared().give(partial);
        }
    }

    /** dw[i] = sum over chunks t, in order, of partial[t * part + i]. */
    private static void reducePartials(Parallel par, Object partial, int chunks, int part, Object dw) {
        int tasks = Parallel.tasksFor((long) part * chunks, CpuBackend.GRAIN, 64);
        par.run(tasks, t -> {
            int i0 = (int) ((long) part * t / tasks);
            int i1 = (int) ((long) part * (t + 1) / tasks);
            System.arraycopy(partial, i0, dw, i0, i1 - i0);
            for (int c = 1; c < chunks; c++) {
                add(partial, c * part, dw, i0, i1);
            }
        });
    }

    /** {@code d[i] += p[off + i]} for {@code i0 <= i < i1}. */
    private static void add(Object p, int off, Object d, int i0, int i1) {
        if (d instanceof float[] df) {
            float[] pf = (float[]) p;
            for (int i = i0; i < i1; i++) {
                df[i] += pf[off + i];
            }
        } else {
            double[] pd = (double[]) p;
            double[] dd = (double[]) d;
            for (int i = i0; i < i1; i++) {
                dd[i] += pd[off + i];
            }
        }
    }
}
