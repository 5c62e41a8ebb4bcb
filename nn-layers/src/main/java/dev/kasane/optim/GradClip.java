package dev.kasane.optim;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. They live here,
 * beside the optimizers, because they act on gradients right before {@link Optimizer#step()}:
 *
 * <pre>{@code
 * loss.backward();
 * GradClip.clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 * }</pre>
 */
public final class GradClip {
    private GradClip() {
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without the non-finite check. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales the gradients of {@code params} in place so that their total norm (the norm of the vector of all their
     * elements) is at most {@code maxNorm}: each is multiplied by {@code min(1, maxNorm / (total + 1e-6))}, as PyTorch
     * does. Parameters without a gradient are ignored. The norm is accumulated in double precision.
     *
     * @param normType p of the p-norm (&gt; 0), or {@code Double.POSITIVE_INFINITY} for the largest absolute value
     * @param errorIfNonfinite throw if the total norm is NaN or infinite (the gradients are then left unchanged)
     * @return the total norm of the gradients before clipping (0 if none has a gradient)
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN, or {@code normType} is not positive
     * @throws IllegalStateException if {@code errorIfNonfinite} and the norm is not finite
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        Objects.requireNonNull(params, "clipGradNorm: params");
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be > 0 or infinity, got " + normType);
        }
        List<NDArray> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        double total;
        if (normType == Double.POSITIVE_INFINITY) {
            total = 0;
            for (NDArray g : grads) {
                if (g.numel() > 0) {
                    double m = g.toType(DType.F64).unary(UnaryOp.ABS).reduce(ReduceOp.MAX).item();
                    total = Double.isNaN(m) || Double.isNaN(total) ? Double.NaN : Math.max(total, m);
                }
            }
        } else {
            double sum = 0;
            for (NDArray g : grads) {
                NDArray a = g.toType(DType.F64).unary(UnaryOp.ABS);
                sum += (normType == 2 ? a.unary(UnaryOp.SQUARE) : normType == 1 ? a : a.binary(BinaryOp.POW, normType)).reduce(ReduceOp.SUM).item();
            }
            total = normType == 2 ? Math.sqrt(sum) : normType == 1 ? sum : Math.pow(sum, 1 / normType);
        }
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is "
                    + total + ", so they cannot be clipped");
        }
        double coef = Math.min(1.0, maxNorm / (total + 1e-6));
        if (coef < 1.0 || Double.isNaN(coef)) {
            for (NDArray g : grads) {
                g.binaryInPlace(BinaryOp.MUL, coef);
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element of {@code params} into {@code [-clipValue, clipValue]} in place.
     *
     * @throws IllegalArgumentException if {@code clipValue} is negative or NaN
     */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        Objects.requireNonNull(params, "clipGradValue: params");
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, got " + clipValue);
        }
        for (NDArray g : grads(params)) {
            g.clampInPlace(-clipValue, clipValue);
        }
    }

    private static List<NDArray> grads(Iterable<Tensor> params) {
        List<NDArray> out = new ArrayList<>();
        for (Tensor p : params) {
            Tensor g = p == null ? null : Function.grad(p);
            if (g != null) {
                out.add(Function.array(g));
            }
        }
        return out;
    }
}
