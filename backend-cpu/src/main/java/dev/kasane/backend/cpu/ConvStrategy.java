package dev.kasane.backend.cpu;

import dev.kasane.tensor.NDArray;

/**
 * One way of computing a convolution's passes on the CPU, chosen per geometry by {@link ConvChooser}. Operands are
 * dense row-major ({@link Conv#dense}); results are fresh CPU arrays. A strategy implements the passes it is chosen for;
 * the others throw {@link IllegalStateException} (the chooser never picks them).
 */
interface ConvStrategy {
    /** A short name for tests and logs, e.g. {@code "in-place"} or {@code "images2"}. */
    String name();

    /** {@code y [n, o, oh, ow]} of input {@code x [n, c, h, w]} and weight {@code wt [o, cg, kh, kw]}. */
    default NDArray forward(Parallel par, GemmKernel kern, View x, View wt, Conv.Geo gm) {
        throw unsupported("forward");
    }

    /** {@code dx [n, c, h, w]} of {@code go [n, o, oh, ow]} and weight {@code wt [o, cg, kh, kw]}. */
    default NDArray inputGrad(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm) {
        throw unsupported("inputGrad");
    }

    /** {@code dW [o, cg, kh, kw]} of input {@code x [n, c, h, w]} and {@code go [n, o, oh, ow]}. */
    default NDArray weightGrad(Parallel par, GemmKernel kern, View x, View go, Conv.Geo gm) {
        throw unsupported("weightGrad");
    }

    /**
     * The input gradient of the stride-1 convolution {@code gm} as this strategy's forward pass over its transposed
     * geometry {@code t = gm.transposed()}: gradOut convolved with the flipped, transposed weight.
     */
    default NDArray forwardTransposed(Parallel par, GemmKernel kern, View go, View wt, Conv.Geo gm, Conv.Geo t) {
        return forward(par, kern, go, TransposedConv.flipTransposed(par, wt, gm), t);
    }

    private IllegalStateException unsupported(String pass) {
        return new IllegalStateException("conv2d: the " + name() + " strategy has no " + pass + " pass");
    }
}
