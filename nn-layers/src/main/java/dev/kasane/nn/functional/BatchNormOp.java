package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;

/**
 * Training-mode batch normalization {@code (x - mean) / sqrt(var + eps) * weight + bias} with batch statistics
 * over every dim but 1, as one op: the forward keeps only the normalized input and the inverse standard deviation,
 * and the backward is the closed form
 * {@code dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}, {@code dxhat = g * weight}.
 * When the backward itself is recorded (gradients of gradients), the statistics are recomputed from the input with
 * Tensor ops so that their dependence on it is differentiated too.
 *
 * <p>Inputs: x, then weight and bias when present (as told to the constructor).
 */
final class BatchNormOp extends Function {
    private final int[] dims;
    private final int[] channelShape;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private NDArray mean;
    private NDArray var;

    BatchNormOp(int[] dims, int[] channelShape, double eps, boolean hasWeight, boolean hasBias) {
        this.dims = dims;
        this.channelShape = channelShape;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        mean = x.mean(dims, true);
        NDArray centered = x.sub(mean);
        var = centered.square().mean(dims, true);
        NDArray invstd = var.add(eps).rsqrt();
        NDArray xhat = centered.mulInPlace(invstd);
        NDArray y = xhat;
        if (hasWeight) {
            y = y.mul(in[1].data().view(channelShape));
        }
        if (hasBias) {
            y = hasWeight ? y.addInPlace(in[2].data().view(channelShape)) : y.add(in[1].data().view(channelShape));
        }
        saveForBackward(in[0], hasWeight ? in[1] : null, Tensor.of(xhat), Tensor.of(invstd));
        return Tensor.of(y == xhat ? xhat.copy() : y);
    }

    /** The batch mean, shaped like the input with size-1 reduced dims. */
    NDArray mean() {
        return mean;
    }

    /** The biased batch variance, shaped like the input with size-1 reduced dims. */
    NDArray var() {
        return var;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] s = savedTensors();
        Tensor x = s[0];
        Tensor weight = s[1];
        Tensor xhat = s[2];
        Tensor invstd = s[3];
        if (Autograd.isGradEnabled()) {
            // recorded backward: rebuild the statistics as functions of x
            Tensor centered = x.sub(x.mean(dims, true));
            invstd = centered.square().mean(dims, true).add(eps).rsqrt();
            xhat = centered.mul(invstd);
        }
        Tensor[] out = new Tensor[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (needsInputGrad(0)) {
            Tensor gxhat = hasWeight ? g.mul(weight.view(channelShape)) : g;
            Tensor proj = xhat.mul(gxhat.mul(xhat).mean(dims, true));
            out[0] = gxhat.sub(gxhat.mean(dims, true)).sub(proj).mul(invstd);
        }
        if (hasWeight && needsInputGrad(1)) {
            out[1] = g.mul(xhat).sum(dims, false);
        }
        if (hasBias && needsInputGrad(out.length - 1)) {
            out[out.length - 1] = g.sum(dims, false);
        }
        return out;
    }

    @Override
    public String name() {
        return "batchNorm";
    }
}
