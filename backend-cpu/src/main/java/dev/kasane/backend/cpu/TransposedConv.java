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
     * W'[g*cg + ci][oo][kh-1-i][kw-1-j] = W[g*og + oo][ci][i][j]: the kernel of the transposed convolution, one strided
     * copy (the weight read through a view with its taps reversed and its two channel dims swapped), so that a 1x1
     * kernel's flip is a tiled transposition. (Per-kernel copies of {@code kh * kw} elements had cost EfficientNet-B0's
     * 1x1 input gradients one call per weight, 5 % of its step.) The copy is drawn from {@link HostArrayPool}; the
     * caller gives it back ({@link HostArrayPool#give}) once the convolution has used it.
     */
    static View flipTransposed(Parallel par, View wt, Conv.Geo gm) {
        Object copy = HostArrayPool.shared().takeUninitialized(wt.dtype, gm.o * gm.kg);
        View dst = View.contiguous(copy, wt.dtype, gm.g, gm.cg, gm.og, gm.khw);
        View flipped = new View(wt.data, wt.dtype, wt.offset + gm.khw - 1, new int[] {gm.g, gm.cg, gm.og, gm.khw},
                new int[] {gm.og * gm.kg, gm.khw, gm.kg, -1});
        Elementwise.copy(par, flipped, dst);
        return View.contiguous(dst.data, wt.dtype, gm.c, gm.og, gm.kh, gm.kw);
    }
}
