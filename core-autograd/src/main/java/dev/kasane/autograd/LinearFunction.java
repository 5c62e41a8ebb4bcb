package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import java.util.function.UnaryOperator;

/**
 * A one-input op that is linear (or affine) in its input: views, copies, padding, gathers, scalar shifts and
 * scales, masks fixed at forward time. Its backward is the adjoint map applied to the output's gradient and reads
 * no input value, so nothing is saved and the node holds no tensor. A subclass only passes the two maps to the
 * constructor; its class name is the op's name unless it passes one.
 */
abstract class LinearFunction extends Function {
    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    /** The backward: the adjoint of the forward map applied to {@code gradOutput}, written with Tensor ops. */
    @FunctionalInterface
    interface Adjoint {
        Tensor apply(Tensor gradOutput, int[] inputShape);
    }

    private UnaryOperator<NDArray> forward;
    private final Adjoint adjoint;

    LinearFunction(UnaryOperator<NDArray> forward, Adjoint adjoint) {
        this.forward = forward;
        this.adjoint = adjoint;
    }

    LinearFunction(String name, UnaryOperator<NDArray> forward, Adjoint adjoint) {
        super(name);
        this.forward = forward;
        this.adjoint = adjoint;
    }

    @Override
    protected final Tensor forward(Tensor... in) {
        UnaryOperator<NDArray> f = forward;
        forward = null; // applied once: the node need not keep what the forward captured (a precomputed view)
        return new Tensor(f.apply(in[0].data));
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        return new Tensor[] {adjoint.apply(g, inputShape(0))};
    }
}
