package dev.kasane.backend.cpu;

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
    public void forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, Object out) {
        Winograd.conv2d(par, kern, x, wt, gm, (float[]) out);
    }

    /** Transforms the weight as it is (no flipped copy): {@link Winograd#inputGrad}. */
    @Override
    public void forwardTransposed(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Conv.Geo t, Object out) {
        Winograd.inputGrad(par, kern, go, wt, t, (float[]) out);
    }
}
