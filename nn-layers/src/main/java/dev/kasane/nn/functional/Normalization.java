package dev.kasane.nn.functional;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.BatchNorm;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Objects;

/** Batch, layer, group and instance normalization, composed from differentiable Tensor ops. */
final class Normalization {
    private Normalization() {
    }

    /**
     * Batch normalization over every dim but 1 of [N, C, ...]. In training the batch statistics are used and the
     * running statistics (if given) are updated in place: {@code r = (1 - momentum) r + momentum s}, with the
     * unbiased batch variance.
     */
    static Tensor batchNorm(Tensor x, Tensor runningMeanBuffer, Tensor runningVarBuffer, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        String op = "batchNorm";
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be at least 2-D (N, C, ...), got " + Arrays.toString(x.shape()));
        }
        int c = x.size(1);
        NDArray runningMean = runningStat(op, "running_mean", runningMeanBuffer, x);
        NDArray runningVar = runningStat(op, "running_var", runningVarBuffer, x);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException(op + ": running_mean and running_var must be given together");
        }
        int[] dims = BatchNorm.reducedDims(Function.array(x));
        int[] bshape = BatchNorm.channelShape(Function.array(x));
        if (!training && runningMean != null) {
            // y = x * scale + shift with per-channel scale = weight / sqrt(runningVar + eps)
            Tensor[] fold = BatchNormFold.of(runningMeanBuffer, runningVarBuffer, weight, bias, eps);
            Tensor scale = fold[0];
            Tensor shift = fold[1];
            if (x.requiresGrad() || scale.requiresGrad() || shift.requiresGrad() || scale.dtype() != x.dtype()
                    || shift.dtype() != x.dtype()) {
                return x.mul(scale.view(bshape)).add(shift.view(bshape)); // a graph, or type promotion
            }
            // no graph: one pass, no temporary (the same rounding: product, then sum)
            return Function.tensor(BatchNorm.scaleShift(Function.array(x), Function.array(scale), Function.array(shift)));
        }
        int count = x.numel() / Math.max(c, 1);
        if (training && count <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape "
                    + Arrays.toString(x.shape()));
        }
        BatchNormOp bn = new BatchNormOp(dims, bshape, eps, weight != null, bias != null);
        Tensor y = weight == null ? (bias == null ? bn.apply(x) : bn.apply(x, bias))
                : (bias == null ? bn.apply(x, weight) : bn.apply(x, weight, bias));
        if (training && runningMean != null) {
            NDArray m = bn.mean().reshape(c).toType(runningMean.dtype());
            NDArray v = bn.var().reshape(c).toType(runningVar.dtype()).binary(BinaryOp.MUL, (double) count / (count - 1));
            runningMean.binaryInPlace(BinaryOp.MUL, 1 - momentum).binaryInPlace(BinaryOp.ADD, m.binary(BinaryOp.MUL, momentum));
            runningVar.binaryInPlace(BinaryOp.MUL, 1 - momentum).binaryInPlace(BinaryOp.ADD, v.binary(BinaryOp.MUL, momentum));
        }
        return y;
    }

    /** {@link F#batchNormInPlace}. */
    static Tensor batchNormInPlace(Tensor x, Tensor runningMeanBuffer, Tensor runningVarBuffer, Tensor weight, Tensor bias,
            double eps, Tensor residual, boolean relu) {
        String op = "batchNormInPlace";
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be at least 2-D (N, C, ...), got " + x.describe());
        }
        runningStat(op, "running_mean", Objects.requireNonNull(runningMeanBuffer, op + ": running_mean"), x);
        runningStat(op, "running_var", Objects.requireNonNull(runningVarBuffer, op + ": running_var"), x);
        Tensor[] fold = BatchNormFold.of(runningMeanBuffer, runningVarBuffer, weight, bias, eps);
        if (Autograd.isGradEnabled() && (x.requiresGrad() || fold[0].requiresGrad() || fold[1].requiresGrad()
                || residual != null && residual.requiresGrad())) {
            throw new IllegalStateException(op + ": writes over its input, which needs no graph: input " + x.describe()
                    + ", weight, bias and residual must not require grad in grad mode (use Autograd.noGrad())");
        }
        if (fold[0].dtype() != x.dtype() || fold[1].dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": running statistics, weight and bias must have the input's dtype "
                    + x.dtype() + " to be written over it, got " + fold[0].describe());
        }
        BatchNorm.scaleShiftInPlace(Function.array(x), Function.array(fold[0]), Function.array(fold[1]),
                residual == null ? null : Function.array(residual), relu);
        return x;
    }

    /** The raw array of a running statistic (null stays null), checked to be [C] and not to require grad. */
    private static NDArray runningStat(String op, String name, Tensor stat, Tensor x) {
        if (stat == null) {
            return null;
        }
        if (stat.dim() != 1 || stat.size(0) != x.size(1) || stat.requiresGrad()) {
            throw new IllegalArgumentException(op + ": " + name + " must be a [" + x.size(1) + "] tensor that does not require "
                    + "grad for input " + x.describe() + ", got " + stat.describe());
        }
        return Function.array(stat);
    }

    /** Layer normalization over the last {@code normalizedShape.length} dims, which must equal normalizedShape. */
    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm";
        int k = normalizedShape.length;
        int[] shape = x.shape();
        if (k == 0 || shape.length < k
                || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(op + ": expected input with shape [*, " + Arrays.toString(normalizedShape)
                    .replace("[", "").replace("]", "") + "], got " + Arrays.toString(shape));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = shape.length - k + i;
        }
        Tensor y = normalize(x, dims, eps);
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    /** Group normalization of [N, C, ...]: statistics per sample over C/groups channels and all spatial positions. */
    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        String op = "groupNorm";
        if (x.dim() < 2 || groups < 1 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException(op + ": expected input (N, C, ...) with C divisible by " + groups + " groups, got "
                    + Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        Tensor y = normalize(x.reshape(n, groups, -1), new int[] {2}, eps).view(x.shape());
        return affine(y, weight, bias, channelShape(x.dim(), x.size(1)));
    }

    /** Instance normalization of [N, C, ...]: statistics per sample and channel over the spatial positions. */
    static Tensor instanceNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        return instanceNorm(x, null, null, weight, bias, true, 0, eps);
    }

    /**
     * Instance normalization with PyTorch's {@code F.instance_norm} options: with {@code useInputStats} the
     * per-sample statistics are used and the running statistics (if given) move towards their mean over the batch,
     * {@code r = (1 - momentum) r + momentum mean_n(s_n)} with the unbiased per-sample variance; otherwise the running
     * statistics normalize, as batch normalization in evaluation.
     */
    static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                               boolean useInputStats, double momentum, double eps) {
        String op = "instanceNorm";
        if (x.dim() < 3) {
            throw new IllegalArgumentException(op + ": expected input (N, C, ...) with spatial dims, got " + x.describe());
        }
        NDArray mean = runningStat(op, "running_mean", runningMean, x);
        NDArray var = runningStat(op, "running_var", runningVar, x);
        if ((mean == null) != (var == null)) {
            throw new IllegalArgumentException(op + ": running_mean and running_var must be given together");
        }
        if (!useInputStats) {
            if (mean == null) {
                throw new IllegalArgumentException(op + ": running_mean and running_var are needed when the input's own "
                        + "statistics are not used, got none for input " + x.describe());
            }
            return batchNorm(x, runningMean, runningVar, weight, bias, false, momentum, eps);
        }
        int[] dims = spatialDims(x);
        if (mean != null) {
            int count = x.numel() / (x.size(0) * x.size(1));
            if (count <= 1) {
                throw new IllegalArgumentException(op + ": expected more than 1 spatial element per channel to update the "
                        + "running statistics, got input " + x.describe());
            }
            Tensor d = x.detach();
            NDArray m = Function.array(d.mean(dims, false).mean(0, false)).toType(mean.dtype());
            NDArray v = Function.array(d.var(dims, 1, false).mean(0, false)).toType(var.dtype());
            mean.binaryInPlace(BinaryOp.MUL, 1 - momentum).binaryInPlace(BinaryOp.ADD, m.binary(BinaryOp.MUL, momentum));
            var.binaryInPlace(BinaryOp.MUL, 1 - momentum).binaryInPlace(BinaryOp.ADD, v.binary(BinaryOp.MUL, momentum));
        }
        return affine(normalize(x, dims, eps), weight, bias, channelShape(x.dim(), x.size(1)));
    }

    private static int[] spatialDims(Tensor x) {
        int[] dims = new int[x.dim() - 2];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i + 2;
        }
        return dims;
    }

    private static Tensor normalize(Tensor x, int[] dims, double eps) {
        Tensor centered = x.sub(x.mean(dims, true));
        Tensor var = centered.square().mean(dims, true);
        return centered.mul(var.add(eps).rsqrt());
    }

    private static Tensor affine(Tensor y, Tensor weight, Tensor bias, int[] bshape) {
        if (weight != null) {
            y = y.mul(weight.view(bshape));
        }
        return bias == null ? y : y.add(bias.view(bshape));
    }

    private static int[] channelShape(int rank, int c) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }
}
