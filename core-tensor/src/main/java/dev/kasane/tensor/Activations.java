package dev.kasane.tensor;

import static dev.kasane.tensor.Checks.checkSameDevice;
import static dev.kasane.tensor.Checks.requireFloat;

import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.FusedActivations;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.Objects;

/**
 * The ReLU family's kernels that autograd's activations call: each runs the backend's {@link FusedActivations} when it
 * offers it and accepts the layout, else the composed version written here, which defines the result.
 */
public final class Activations {
    private Activations() {
    }

    /**
     * LeakyReLU (PyTorch's {@code leaky_relu}): {@code x} where {@code x > 0}, else {@code negativeSlope * x}.
     *
     * @throws IllegalArgumentException if {@code x} is not F32 or F64
     */
    public static NDArray leakyRelu(NDArray x, double negativeSlope) {
        requireFloat("leakyRelu", x);
        FusedActivations k = x.backend().extension(FusedActivations.class);
        NDArray y = k == null ? null : k.leakyRelu(x, negativeSlope);
        return y != null ? y : NDArray.where(x.binary(BinaryOp.GT, 0L), x, x.binary(BinaryOp.MUL, negativeSlope));
    }

    /**
     * The gradient of ReLU from its upstream gradient and its result: 0 where {@code result <= 0}, else the gradient
     * (PyTorch's {@code threshold_backward} at 0, so a NaN result passes the gradient). Linear in the gradient, which
     * is what makes it usable in higher-order graphs.
     *
     * @throws IllegalArgumentException unless both are float arrays of the same dtype, shape and device
     */
    public static NDArray reluBackward(NDArray grad, NDArray result) {
        checkGradient("reluBackward", grad, result);
        FusedActivations k = grad.backend().extension(FusedActivations.class);
        NDArray g = k == null ? null : k.reluBackward(grad, result);
        return g != null ? g : grad.maskedFill(result.binary(BinaryOp.LE, 0L), 0);
    }

    /**
     * The gradient of {@link #leakyRelu} from its upstream gradient and its input:
     * {@code input > 0 ? grad : negativeSlope * grad} (PyTorch's {@code leaky_relu_backward}).
     *
     * @throws IllegalArgumentException unless both are float arrays of the same dtype, shape and device
     */
    public static NDArray leakyReluBackward(NDArray grad, NDArray input, double negativeSlope) {
        checkGradient("leakyReluBackward", grad, input);
        FusedActivations k = grad.backend().extension(FusedActivations.class);
        NDArray g = k == null ? null : k.leakyReluBackward(grad, input, negativeSlope);
        return g != null ? g : NDArray.where(input.binary(BinaryOp.GT, 0L), grad, grad.binary(BinaryOp.MUL, negativeSlope));
    }

    /**
     * Clamp's gradient: {@code min <= input <= max ? grad : 0} (bounds included, a NaN input gets 0, as PyTorch), one
     * pass on backends with {@link FusedActivations}.
     */
    public static NDArray clampBackward(NDArray grad, NDArray input, double min, double max) {
        checkGradient("clampBackward", grad, input);
        FusedActivations k = grad.backend().extension(FusedActivations.class);
        NDArray g = k == null ? null : k.clampBackward(grad, input, min, max);
        return g != null ? g
                : grad.maskedFill(input.binary(BinaryOp.GE, min).binary(BinaryOp.AND, input.binary(BinaryOp.LE, max))
                        .unary(UnaryOp.NOT), 0);
    }

    private static void checkGradient(String op, NDArray grad, NDArray saved) {
        Objects.requireNonNull(saved, op + ": saved array");
        checkSameDevice(op, grad, saved);
        requireFloat(op, grad);
        if (saved.dtype() != grad.dtype() || !Arrays.equals(saved.shape(), grad.shape())) {
            throw new IllegalArgumentException(op + ": gradient " + grad.describe() + " and saved array " + saved.describe()
                    + " must have the same dtype and shape");
        }
    }
}
