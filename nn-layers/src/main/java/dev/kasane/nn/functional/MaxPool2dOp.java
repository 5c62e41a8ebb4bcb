package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.NDArray;

/**
 * 2-D max pooling of [N, C, H, W]. Backward scatters the gradient to the arg-max positions; when gradients of
 * gradients are recorded it does so with Tensor ops ({@code scatterAdd}), so that it is differentiable again (its own
 * gradient is a gather).
 */
final class MaxPool2dOp extends Function {
    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    private final int kh;
    private final int kw;
    private final Conv2dSpec spec;
    private final boolean ceilMode;
    private NDArray indices;
    private int[] inShape;

    MaxPool2dOp(int kh, int kw, Conv2dSpec spec, boolean ceilMode) {
        super("maxPool2d");
        this.kh = kh;
        this.kw = kw;
        this.spec = spec;
        this.ceilMode = ceilMode;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray[] r = Function.array(in[0]).maxPool2d(kh, kw, spec, ceilMode);
        indices = r[1];
        inShape = in[0].shape();
        return Function.tensor(r[0]);
    }

    /** The flat {@code h * W + w} arg-max index of every output element (I64, the output's shape). */
    NDArray indices() {
        return indices;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = inShape[0];
        int c = inShape[1];
        NDArray zeros = NDArray.zeros(g.dtype(), g.device(), n, c, inShape[2] * inShape[3]);
        if (!Autograd.isGradEnabled()) {
            // a plain backward: scatter into the zeros in place (the recorded op below copies them first)
            zeros.scatterAddInPlace(2, indices.reshape(n, c, -1), Function.array(g).reshape(n, c, -1));
            return new Tensor[] {Function.tensor(zeros.view(inShape))};
        }
        Tensor idx = Function.tensor(indices.reshape(n, c, -1));
        Tensor gi = Function.tensor(zeros).scatterAdd(2, idx, g.reshape(n, c, -1));
        return new Tensor[] {gi.view(inShape)};
    }
}
