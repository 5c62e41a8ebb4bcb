package dev.kasane.tensor;

import static dev.kasane.tensor.Checks.checkSameDevice;
import static dev.kasane.tensor.Checks.requireFloat;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.FusedBatchNorm;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Objects;

/**
 * Batch normalization over every dim but 1, the kernels behind the batch-norm layers (training mode, and inference
 * mode without a graph, {@link #scaleShift} and {@link #scaleShiftInPlace}): each runs the
 * backend's {@link FusedBatchNorm} when it offers it and accepts the layout, else the composed version written here.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /**
     * Normalizes {@code x} [N, C, ...] with its batch statistics (PyTorch's {@code native_batch_norm} with
     * {@code training=True}): returns {@code {y, mean, var}} with the per-channel mean and biased variance
     * ({@code [C]}, x's dtype) and {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. With a fused kernel this
     * reads the input three times and writes it once.
     *
     * @param weight per-channel scale {@code [C]}, or null for 1
     * @param bias per-channel shift {@code [C]}, or null for 0
     * @throws IllegalArgumentException unless x is a float array of at least 2 dims and weight/bias are {@code [C]}
     *     arrays of its dtype on its device
     */
    public static NDArray[] forward(NDArray x, NDArray weight, NDArray bias, double eps) {
        check("batchNorm", x, weight, bias);
        FusedBatchNorm k = x.backend().extension(FusedBatchNorm.class);
        NDArray[] r = k == null ? null : k.batchNorm(x, weight, bias, eps);
        return r != null ? r : composedForward(x, weight, bias, eps);
    }

    /**
     * The gradients of {@link #forward} from the upstream gradient (shaped like x), the input, the weight (or null)
     * and the forward's {@code mean} and {@code var}: returns {@code {dx, dweight, dbias}} with
     * {@code dx = w * invstd * (g - mean(g) - xhat * mean(g * xhat))}, {@code dweight = sum(g * xhat)} (null without a
     * weight), {@code dbias = sum(g)}, where {@code xhat = (x - mean) * invstd}, {@code invstd = 1 / sqrt(var + eps)}.
     *
     * @throws IllegalArgumentException on mismatched shapes, dtypes or devices
     */
    public static NDArray[] backward(NDArray grad, NDArray x, NDArray weight, NDArray mean, NDArray var, double eps) {
        String op = "batchNormBackward";
        Objects.requireNonNull(x, op + ": input");
        check(op, x, weight, mean);
        check(op, x, var, null);
        checkSameDevice(op, grad, x);
        if (grad.dtype() != x.dtype() || !Arrays.equals(grad.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": gradient " + grad.describe() + " must match the input " + x.describe());
        }
        FusedBatchNorm k = x.backend().extension(FusedBatchNorm.class);
        NDArray[] r = k == null ? null : k.batchNormBackward(grad, x, weight, mean, var, eps);
        return r != null ? r : composedBackward(grad, x, weight, mean, var, eps);
    }

    /**
     * Inference-mode batch normalization without autograd: {@code x * scale + shift} with per-channel {@code scale}
     * and {@code shift} ({@code [C]}, the running statistics, weight and bias folded in), in one pass over x with a
     * fused kernel, else as {@code x.mul(scale)} then an in-place add of {@code shift}; both round each element the
     * same way (product, then sum).
     *
     * @throws IllegalArgumentException unless x is a float array of at least 2 dims and scale/shift are {@code [C]}
     *     arrays of its dtype on its device
     */
    public static NDArray scaleShift(NDArray x, NDArray scale, NDArray shift) {
        String op = "batchNormScaleShift";
        checkScaleShift(op, x, scale, shift);
        FusedBatchNorm k = x.backend().extension(FusedBatchNorm.class);
        NDArray y = k == null ? null : k.scaleShift(x, scale, shift, null, false, false);
        if (y != null) {
            return y;
        }
        int[] cs = channelShape(x);
        return x.binary(BinaryOp.MUL, scale.reshape(cs)).binaryInPlace(BinaryOp.ADD, shift.reshape(cs));
    }

    /**
     * {@link #scaleShift} written over {@code x}, then plus {@code residual} (x's shape and dtype; null for none), then
     * a ReLU ({@code max(v, 0)}) when {@code relu}: the same values as {@code scaleShift}, {@code binary(ADD, residual)}
     * and {@code unary(RELU)}, in one pass over x with a fused kernel, without a new array. For inference, where x is
     * an intermediate that nothing reads again (a convolution's output; a residual block's last one takes its
     * shortcut). Bumps x's version counter and returns x.
     *
     * @throws IllegalArgumentException as {@link #scaleShift}, when x is a read-only view (broadcast), or when the
     *     residual does not match x's shape, dtype and device or shares its memory
     */
    public static NDArray scaleShiftInPlace(NDArray x, NDArray scale, NDArray shift, NDArray residual, boolean relu) {
        String op = "batchNormScaleShiftInPlace";
        checkScaleShift(op, x, scale, shift);
        Checks.checkWritable(op, x);
        if (residual != null) {
            checkSameDevice(op, x, residual);
            if (residual.dtype() != x.dtype() || !Arrays.equals(residual.shape(), x.shape())
                    || residual.storage() == x.storage()) {
                throw new IllegalArgumentException(op + ": residual " + residual.describe() + " must match the input "
                        + x.describe() + " and not share its memory");
            }
        }
        FusedBatchNorm k = x.backend().extension(FusedBatchNorm.class);
        if (k != null && k.scaleShift(x, scale, shift, residual, relu, true) != null) {
            x.storage().bumpVersion();
            return x;
        }
        int[] cs = channelShape(x);
        x.binaryInPlace(BinaryOp.MUL, scale.reshape(cs)).binaryInPlace(BinaryOp.ADD, shift.reshape(cs));
        if (residual != null) {
            x.binaryInPlace(BinaryOp.ADD, residual);
        }
        return relu ? x.clampInPlace(0, Double.POSITIVE_INFINITY) : x;
    }

    private static void checkScaleShift(String op, NDArray x, NDArray scale, NDArray shift) {
        Objects.requireNonNull(scale, op + ": scale");
        Objects.requireNonNull(shift, op + ": shift");
        check(op, x, scale, shift);
    }

    /** The dims batch normalization reduces over: every dim but 1. */
    public static int[] reducedDims(NDArray x) {
        int[] dims = new int[x.dim() - 1];
        for (int i = 1; i < dims.length; i++) {
            dims[i] = i + 1;
        }
        return dims;
    }

    /** {@code [1, C, 1, ...]}: the shape that broadcasts a per-channel array against x. */
    public static int[] channelShape(NDArray x) {
        int[] s = new int[x.dim()];
        Arrays.fill(s, 1);
        s[1] = x.size(1);
        return s;
    }

    private static NDArray[] composedForward(NDArray x, NDArray weight, NDArray bias, double eps) {
        int[] dims = reducedDims(x);
        int[] cs = channelShape(x);
        NDArray mean = x.mean(dims, true);
        NDArray centered = x.binary(BinaryOp.SUB, mean);
        NDArray var = centered.unary(UnaryOp.SQUARE).mean(dims, true);
        NDArray y = centered.binaryInPlace(BinaryOp.MUL, var.binary(BinaryOp.ADD, eps).unary(UnaryOp.RSQRT));
        if (weight != null) {
            y.binaryInPlace(BinaryOp.MUL, weight.reshape(cs));
        }
        if (bias != null) {
            y.binaryInPlace(BinaryOp.ADD, bias.reshape(cs));
        }
        int c = x.size(1);
        return new NDArray[] {y, mean.reshape(c), var.reshape(c)};
    }

    private static NDArray[] composedBackward(NDArray grad, NDArray x, NDArray weight, NDArray mean, NDArray var,
            double eps) {
        int[] dims = reducedDims(x);
        int[] cs = channelShape(x);
        NDArray invstd = var.binary(BinaryOp.ADD, eps).unary(UnaryOp.RSQRT).reshape(cs);
        NDArray xhat = x.binary(BinaryOp.SUB, mean.reshape(cs)).binaryInPlace(BinaryOp.MUL, invstd);
        NDArray gxhat = weight == null ? grad : grad.binary(BinaryOp.MUL, weight.reshape(cs));
        NDArray proj = xhat.binary(BinaryOp.MUL, gxhat.binary(BinaryOp.MUL, xhat).mean(dims, true));
        NDArray dx = gxhat.binary(BinaryOp.SUB, gxhat.mean(dims, true)).binaryInPlace(BinaryOp.SUB, proj)
                .binaryInPlace(BinaryOp.MUL, invstd);
        NDArray dw = weight == null ? null : grad.binary(BinaryOp.MUL, xhat).reduce(ReduceOp.SUM, dims, false);
        return new NDArray[] {dx, dw, grad.reduce(ReduceOp.SUM, dims, false)};
    }

    private static void check(String op, NDArray x, NDArray perChannel1, NDArray perChannel2) {
        requireFloat(op, x);
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must be at least 2-D (N, C, ...), got " + x.describe());
        }
        int c = x.size(1);
        for (NDArray p : new NDArray[] {perChannel1, perChannel2}) {
            if (p == null) {
                continue;
            }
            checkSameDevice(op, x, p);
            if (p.dtype() != x.dtype() || p.dim() != 1 || p.size(0) != c) {
                throw new IllegalArgumentException(op + ": per-channel array " + p.describe() + " must be [" + c + "] "
                        + x.dtype() + " for input " + x.describe());
            }
        }
    }
}
