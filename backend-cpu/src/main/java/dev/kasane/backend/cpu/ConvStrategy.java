package dev.kasane.backend.cpu;

/**
 * One way of computing a convolution's passes on the CPU, chosen per geometry by {@link ConvChooser}. Operands are
 * dense row-major ({@link Conv#dense}); each pass writes every element of its result into {@code out}, a host array of
 * the operands' dtype holding the dense result from index 0 (its contents on entry are unspecified). A strategy implements the passes it is chosen for;
 * the others throw {@link IllegalStateException} (the chooser never picks them).
 */
interface ConvStrategy {
    /** A short name for tests and logs, e.g. {@code "in-place"} or {@code "images2"}. */
    String name();

    /** {@code y [n, o, oh, ow]} of input {@code x [n, c, h, w]} and weight {@code wt [o, cg, kh, kw]}. */
    default void forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm, Object out) {
        throw unsupported("forward");
    }

    /** {@code dx [n, c, h, w]} of {@code go [n, o, oh, ow]} and weight {@code wt [o, cg, kh, kw]}. */
    default void inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Object out) {
        throw unsupported("inputGrad");
    }

    /** {@code dW [o, cg, kh, kw]} of input {@code x [n, c, h, w]} and {@code go [n, o, oh, ow]}. */
    default void weightGrad(Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm, Object out) {
        throw unsupported("weightGrad");
    }

    /**
     * The input gradient of the stride-1 convolution {@code gm} as this strategy's forward pass over its transposed
     * geometry {@code t = gm.transposed()}: gradOut convolved with the flipped, transposed weight.
     */
    default void forwardTransposed(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Conv.Geo t, Object out) {
        View flipped = TransposedConv.flipTransposed(par, wt, gm);
        forward(par, kern, go, flipped, t, out);
        HostArrayPool.shared().give(flipped.data); // a temporary: no storage, so no packing of it is kept
    }

    private IllegalStateException unsupported(String pass) {
        return new IllegalStateException("conv2d: the " + name() + " strategy has no " + pass + " pass");
    }
}
