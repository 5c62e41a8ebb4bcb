package dev.kasane.tensor;

import static dev.kasane.tensor.Checks.checkSameDevice;
import static dev.kasane.tensor.Checks.checkWritable;
import static dev.kasane.tensor.Checks.requireFloat;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.FusedUpdates;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Adam step on a parameter in place, the kernel behind the Adam and AdamW optimizers: the backend's
 * {@link FusedUpdates#adam} when it offers it and accepts the layout (one pass over the five arrays), else the
 * in-place ops written here one by one, which define the rounding.
 */
public final class AdamStep {
    private AdamStep() {
    }

    /**
     * Updates {@code param} as PyTorch's single-tensor Adam does (after any weight decay, which the caller applies):
     * <pre>
     * expAvg    = expAvg * beta1 + grad * (1 - beta1)
     * expAvgSq  = expAvgSq * beta2 + grad * grad * (1 - beta2)
     * second    = maxExpAvgSq == null ? expAvgSq : (maxExpAvgSq = max(maxExpAvgSq, expAvgSq))
     * param    += expAvg / (sqrt(second) / bc2Sqrt + eps) * -stepSize
     * </pre>
     * with {@code stepSize = lr / (1 - beta1^t)} and {@code bc2Sqrt = sqrt(1 - beta2^t)}. Each element is rounded as
     * that sequence of in-place ops rounds it (scalars in the dtype). All arrays: the parameter's shape, dtype and
     * device, float, none sharing storage with another. Bumps the version of every array written; returns
     * {@code param}.
     *
     * @param maxExpAvgSq AMSGrad's running maximum of {@code expAvgSq}, or null without AMSGrad
     * @throws IllegalArgumentException on mismatched shapes, dtypes or devices, shared storage or a broadcast view
     */
    public static NDArray apply(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
            double beta1, double beta2, double stepSize, double bc2Sqrt, double eps) {
        NDArray[] all = check(param, grad, expAvg, expAvgSq, maxExpAvgSq);
        FusedUpdates k = param.backend().extension(FusedUpdates.class);
        if (k == null || !k.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, beta1, beta2, stepSize, bc2Sqrt, eps)) {
            expAvg.binaryInPlace(BinaryOp.MUL, beta1).addInPlace(grad, 1 - beta1);
            expAvgSq.binaryInPlace(BinaryOp.MUL, beta2).addcmulInPlace(grad, grad, 1 - beta2);
            NDArray second = maxExpAvgSq == null ? expAvgSq : maxExpAvgSq.binaryInPlace(BinaryOp.MAXIMUM, expAvgSq);
            param.addcdivInPlace(expAvg, second.unary(UnaryOp.SQRT).binaryInPlace(BinaryOp.DIV, bc2Sqrt)
                    .binaryInPlace(BinaryOp.ADD, eps), -stepSize);
        }
        for (NDArray a : all) {
            if (a != grad) {
                a.storage().bumpVersion();
            }
        }
        return param;
    }

    private static NDArray[] check(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq) {
        String op = "adamUpdateInPlace";
        checkWritable(op, param);
        requireFloat(op, param);
        NDArray[] all = maxExpAvgSq == null ? new NDArray[] {param, grad, expAvg, expAvgSq}
                : new NDArray[] {param, grad, expAvg, expAvgSq, maxExpAvgSq};
        for (int i = 1; i < all.length; i++) {
            NDArray o = Objects.requireNonNull(all[i], op + ": operand");
            checkSameDevice(op, param, o);
            if (o.dtype() != param.dtype() || !Arrays.equals(o.shape(), param.shape())) {
                throw new IllegalArgumentException(op + ": operand " + o.describe() + " must have the shape and dtype of "
                        + param.describe());
            }
            if (i > 1) {
                checkWritable(op, o);
            }
            for (int j = 0; j < i; j++) {
                if (o.sharesStorageWith(all[j])) {
                    throw new IllegalArgumentException(op + ": the parameter, gradient and state arrays must not share "
                            + "storage, got " + all[j].describe() + " and " + o.describe());
                }
            }
        }
        return all;
    }
}
