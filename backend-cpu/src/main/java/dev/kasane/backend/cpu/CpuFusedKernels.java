package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.FusedActivations;
import dev.kasane.tensor.spi.FusedBatchNorm;
import dev.kasane.tensor.spi.FusedUpdates;
import java.util.function.Supplier;

/**
 * The CPU backend's optional fused kernels: the ReLU family ({@link Activations}), batch normalization
 * ({@link BatchNormKernels}) and the optimizers' in-place updates ({@link UpdateKernels}). Each declines (null or
 * false) the layouts its kernel does not handle, and the caller runs the composed version.
 */
final class CpuFusedKernels implements FusedActivations, FusedBatchNorm, FusedUpdates {
    private final Supplier<Parallel> par;

    CpuFusedKernels(Supplier<Parallel> par) {
        this.par = par;
    }

    @Override
    public NDArray leakyRelu(NDArray x, double negativeSlope) {
        View v = View.of(x, "leakyRelu");
        return Activations.handles(v) ? Activations.leakyRelu(par.get(), v, negativeSlope) : null;
    }

    @Override
    public NDArray leakyReluBackward(NDArray grad, NDArray input, double negativeSlope) {
        View g = View.of(grad, "leakyReluBackward");
        View x = View.of(input, "leakyReluBackward");
        return Activations.handles(g, x) ? Activations.leakyReluBackward(par.get(), g, x, negativeSlope) : null;
    }

    @Override
    public NDArray clampBackward(NDArray grad, NDArray input, double min, double max) {
        View g = View.of(grad, "clampBackward");
        View x = View.of(input, "clampBackward");
        return Activations.handles(g, x) ? Activations.clampBackward(par.get(), g, x, min, max) : null;
    }

    @Override
    public NDArray reluBackward(NDArray grad, NDArray result) {
        View g = View.of(grad, "reluBackward");
        View y = View.of(result, "reluBackward");
        return Activations.handles(g, y) ? Activations.reluBackward(par.get(), g, y) : null;
    }

    @Override
    public NDArray[] batchNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        View xv = View.of(x, "batchNorm");
        View wv = weight == null ? null : View.of(weight, "batchNorm");
        View bv = bias == null ? null : View.of(bias, "batchNorm");
        return BatchNormKernels.handles(xv, wv, bv) ? BatchNormKernels.forward(par.get(), xv, wv, bv, eps) : null;
    }

    @Override
    public NDArray scaleShift(NDArray x, NDArray scale, NDArray shift, NDArray residual, boolean relu, boolean inPlace) {
        String op = "batchNormScaleShift";
        View xv = View.of(x, op);
        View sv = View.of(scale, op);
        View bv = View.of(shift, op);
        View rv = residual == null ? null : View.of(residual, op);
        if (!BatchNormKernels.handles(xv, sv, bv, rv)) {
            return null;
        }
        if (inPlace) {
            BatchNormKernels.scaleShift(par.get(), xv, sv, bv, rv, relu, (float[]) xv.data, xv.offset);
            return x;
        }
        float[] y = (float[]) HostArrayPool.shared().takeUninitialized(DType.F32, xv.numel());
        BatchNormKernels.scaleShift(par.get(), xv, sv, bv, rv, relu, y, 0);
        return NDArray.fromHost(y, DType.F32, Device.CPU, xv.shape);
    }

    @Override
    public NDArray[] batchNormBackward(NDArray grad, NDArray x, NDArray weight, NDArray mean, NDArray var, double eps) {
        String op = "batchNormBackward";
        View gv = View.of(grad, op);
        View xv = View.of(x, op);
        View wv = weight == null ? null : View.of(weight, op);
        View mv = View.of(mean, op);
        View vv = View.of(var, op);
        return BatchNormKernels.handles(gv, xv, wv, mv, vv) ? BatchNormKernels.backward(par.get(), gv, xv, wv, mv, vv, eps)
                : null;
    }

    @Override
    public boolean addcmul(NDArray dst, NDArray a, NDArray b, double value) {
        return update("addcmulInPlace", dst, a, b, value, false);
    }

    @Override
    public boolean addcdiv(NDArray dst, NDArray a, NDArray b, double value) {
        return update("addcdivInPlace", dst, a, b, value, true);
    }

    @Override
    public boolean adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
            double beta1, double beta2, double stepSize, double bc2Sqrt, double eps) {
        String op = "adamUpdateInPlace";
        View p = View.of(param, op);
        View g = View.of(grad, op);
        View m = View.of(expAvg, op);
        View v = View.of(expAvgSq, op);
        View vmax = maxExpAvgSq == null ? null : View.of(maxExpAvgSq, op);
        if (!UpdateKernels.handles(p, g, null) || !UpdateKernels.handles(m, v, vmax)) {
            return false;
        }
        UpdateKernels.adam(par.get(), p, g, m, v, vmax, beta1, beta2, stepSize, bc2Sqrt, eps);
        return true;
    }

    private boolean update(String op, NDArray dst, NDArray a, NDArray b, double value, boolean divide) {
        View d = View.of(dst, op);
        View va = View.of(a, op);
        View vb = b == null ? null : View.of(b, op);
        if (!UpdateKernels.handles(d, va, vb)) {
            return false;
        }
        UpdateKernels.update(par.get(), d, va, vb, value, divide);
        return true;
    }
}
