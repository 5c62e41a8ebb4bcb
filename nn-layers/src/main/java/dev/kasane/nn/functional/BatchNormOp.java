package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.BatchNorm;
import dev.kasane.tensor.NDArray;

/**
 * Training-mode batch normalization {@code (x - mean) / sqrt(var + eps) * weight + bias} with batch statistics
 * over every dim but 1, as one op on {@link NDArray#batchNorm} (a fused per-channel kernel on the CPU): the forward
 * keeps the input and the per-channel statistics, and the backward is the closed form of
 * {@link NDArray#batchNormBackward},
 * {@code dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}, {@code dxhat = g * weight}.
 * When the backward itself is recorded (gradients of gradients), the statistics are recomputed from the input with
 * Tensor ops so that their dependence on it is differentiated too.
 *
 * <p>Inputs: x, then weight and bias when present (as told to the constructor).
 */
final class BatchNormOp extends Function {
    @Override
    protected boolean recyclesGradients() {
        return true;
    }

    private final int[] dims;
    private final int[] channelShape;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private NDArray mean;
    private NDArray var;

    BatchNormOp(int[] dims, int[] channelShape, double eps, boolean hasWeight, boolean hasBias) {
        super("batchNorm");
        this.dims = dims;
        this.channelShape = channelShape;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = Function.array(in[0]);
        NDArray weight = hasWeight ? Function.array(in[1]) : null;
        NDArray bias = hasBias ? Function.array(in[hasWeight ? 2 : 1]) : null;
        NDArray[] r = BatchNorm.forward(x, weight, bias, eps);
        mean = r[1];
        var = r[2];
        saveForBackward(in[0], hasWeight ? in[1] : null);
        return Function.tensor(r[0]);
    }

    /** The per-channel batch mean, {@code [C]}. */
    NDArray mean() {
        return mean;
    }

    /** The per-channel biased batch variance, {@code [C]}. */
    NDArray var() {
        return var;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] s = savedTensors();
        Tensor x = s[0];
        Tensor weight = s[1];
        Tensor[] out = new Tensor[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (!Autograd.isGradEnabled()) {
            NDArray[] d = BatchNorm.backward(Function.array(g), Function.array(x), weight == null ? null : Function.array(weight), mean, var, eps);
            out[0] = needsInputGrad(0) ? Function.tensor(d[0]) : null;
            if (hasWeight && needsInputGrad(1)) {
                out[1] = Function.tensor(d[1]);
            }
            if (hasBias && needsInputGrad(out.length - 1)) {
                out[out.length - 1] = Function.tensor(d[2]);
            }
            return out;
        }
        // recorded backward (gradients of gradients): the statistics rebuilt as functions of x, so that their
        // dependence on it is differentiated too
        Tensor centered = x.sub(x.mean(dims, true));
        Tensor invstd = centered.square().mean(dims, true).add(eps).rsqrt();
        Tensor xhat = centered.mul(invstd);
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
}
