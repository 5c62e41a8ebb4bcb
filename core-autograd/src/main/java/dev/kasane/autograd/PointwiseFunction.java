package dev.kasane.autograd;

/**
 * A one-input elementwise op described by a {@link UnaryDerivatives.Derivative}: the NDArray forward, which tensor
 * (input, output or none) backward reads, and the derivative written with Tensor ops. The {@link UnaryDerivatives}
 * table holds the parameterless ones; ops with a parameter (clamp, leaky ReLU, a scalar power) build theirs in the
 * constructor. The class name is the op's name unless a subclass passes one.
 */
abstract class PointwiseFunction extends Function {
    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    private final UnaryDerivatives.Derivative derivative;

    PointwiseFunction(UnaryDerivatives.Derivative derivative) {
        this.derivative = derivative;
    }

    PointwiseFunction(String name, UnaryDerivatives.Derivative derivative) {
        super(name);
        this.derivative = derivative;
    }

    @Override
    protected final Tensor forward(Tensor... in) {
        Tensor out = new Tensor(derivative.forward().apply(in[0].data));
        Tensor save = derivative.saved().pick(in[0], out);
        if (save != null) {
            saveForBackward(save);
        }
        return out;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor saved = derivative.saved() == UnaryDerivatives.Saved.NOTHING ? null : savedTensors()[0];
        return new Tensor[] {derivative.backward().gradInput(g, saved)};
    }
}
