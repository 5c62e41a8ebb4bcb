package dev.kasane.backend.cpu;

/**
 * The input gradient of a stride-1 convolution as a forward convolution ({@link Conv.Geo#transposed}): gradOut
 * convolved with the flipped, transposed kernel by the forward strategy of the transposed geometry, with no col2im.
 */
final class TransposedConv implements ConvStrategy {
    private final ConvStrategy forward;

    /** @param forward the strategy of the transposed geometry's forward pass */
    TransposedConv(ConvStrategy forward) {
        this.forward = forward;
    }

    @Override
    public String name() {
        return "transposed/" + forward.name();
    }

    @Override
    public void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Object out) {
        forward.forwardTransposed(par, kern, go, wt, gm, gm.transposed(), out);
    }

    /**
     * W'[g*cg + ci][oo][kh-1-i][kw-1-j] = W[g*og + oo][ci][i][j]: the kernel of the transposed convolution, built in
     * parallel over the output channels (ResNet's last stage flips 2.4M weights per input gradient).
     */
    static View flipTransposed(Parallel par, View wt, Conv.Geo gm) {
        int size = gm.o * gm.kg;
        Object dst = wt.dtype.newHostArray(size);
        int tasks = Parallel.tasksFor(size, CpuBackend.GRAIN, gm.o);
        par.run(tasks, t -> {
            for (int o = gm.o * t / tasks, end = gm.o * (t + 1) / tasks; o < end; o++) {
                int g = o / gm.og;
                int oo = o % gm.og;
                for (int ci = 0; ci < gm.cg; ci++) {
                    int src = wt.offset + (o * gm.cg + ci) * gm.khw;
                    int to = ((g * gm.cg + ci) * gm.og + oo) * gm.khw + gm.khw - 1;
                    reverse(wt.data, src, dst, to, gm.khw);
                }
            }
        });
        return View.contiguous(dst, wt.dtype, gm.c, gm.og, gm.kh, gm.kw);
    }

    /** {@code dst[to - q] = src[from + q]} for {@code q < n}. */
    private static void reverse(Object src, int from, Object dst, int to, int n) {
        if (dst instanceof float[] d) {
            float[] s = (float[]) src;
            for (int q = 0; q < n; q++) {
                d[to - q] = s[from + q];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int q = 0; q < n; q++) {
                d[to - q] = s[from + q];
            }
        }
    }
}
