package dev.kasane.backend.cpu;

import dev.kasane.tensor.NDArray;

/** {@link Winograd} F(2x2, 3x3) for the forward pass and, through its transposed form, the input gradient. */
final class WinogradConv implements ConvStrategy {
    static final WinogradConv INSTANCE = new WinogradConv();

    private WinogradConv() {
    }

    @Override
    public String name() {
        return "winograd";
    }

    @Override
    public NDArray forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm) {
        return Winograd.conv2d(par, kern, x, wt, gm);
    }

    /** Transforms the weight as it is (no flipped copy): {@link Winograd#inputGrad}. */
    @Override
    public NDArray forwardTransposed(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Conv.Geo t) {
        return Winograd.inputGrad(par, kern, go, wt, t);
    }
}
