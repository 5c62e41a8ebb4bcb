package dev.kasane.autograd;

import dev.kasane.tensor.DType;

import java.util.List;

/**
 * Entry points of the autograd engine: grad mode, {@link #grad functional gradients}, anomaly detection.
 *
 * <p>Grad mode is per thread. Inside {@code noGrad()} ops record no graph (inference, optimizer updates):
 *
 * <pre>{@code
 * try (var g = Autograd.noGrad()) {
 *     Tensor logits = model(x);            // no graph, no saved tensors
 *     w.subInPlace(w.grad().mul(lr));      // in-place update of a leaf that requires grad is allowed here
 * }
 * }</pre>
 *
 * <p>Gradients without touching {@code .grad}, and gradients of gradients (WGAN-GP style):
 *
 * <pre>{@code
 * Tensor out = critic(xHat);
 * Tensor gx = Autograd.grad(List.of(out.sum()), List.of(xHat), null, true, true, false)[0];
 * Tensor penalty = gx.square().sum(1, false).sqrt().sub(1).square().mean();
 * penalty.backward();                      // reaches the critic's weights through gx
 * }</pre>
 */
public final class Autograd {
    static volatile boolean anomalyDetection;

    private Autograd() {
    }

    /** Turns graph recording off for this thread until the returned guard is closed. */
    public static GradGuard noGrad() {
        return new GradGuard(false);
    }

    /** Turns graph recording on for this thread (e.g. inside a {@link #noGrad()} block) until the guard is closed. */
    public static GradGuard enableGrad() {
        return new GradGuard(true);
    }

    /** Sets grad mode for this thread (prefer the scoped {@link #noGrad()} / {@link #enableGrad()}). */
    public static void setGradEnabled(boolean enabled) {
        GradMode.current().enabled = enabled;
    }

    /** Whether ops on this thread currently record the graph. */
    public static boolean isGradEnabled() {
        return GradMode.current().enabled;
    }

    /**
     * Sets the dtype that this thread's matrix products and convolutions round their F32 operands to, or turns that
     * off ({@code null}): PyTorch's {@code torch.set_autocast_cpu_dtype} and {@code set_autocast_enabled} in one.
     * Prefer the scope {@code dev.kasane.amp.Autocast}, which sets and restores it; its class notes say what the
     * rounding does. Backward passes always run with it off.
     *
     * @param dtype {@link DType#BF16}, {@link DType#F16} or null
     * @throws IllegalArgumentException for another dtype
     */
    public static void setAutocastDtype(DType dtype) {
        if (dtype != null && !dtype.isHalf()) {
            throw new IllegalArgumentException("setAutocastDtype: the low-precision dtype must be BF16 or F16 (or null "
                    + "for off), got " + dtype);
        }
        GradMode.current().autocast = dtype;
    }

    /** The dtype this thread's matrix products and convolutions round their operands to now, or null when off. */
    public static DType autocastDtype() {
        return GradMode.current().autocast;
    }

    /**
     * The operand of a lower-precision op (matmul, bmm, linear, convolutions) under this thread's
     * {@link #autocastDtype}: an F32 {@code t} rounded to that dtype with round to nearest even (held in F32;
     * differentiable, the gradient that reaches {@code t} is rounded the same way), a BF16 or F16 {@code t} (a tensor
     * stored in 16 bits, which carries no gradient) widened to F32 and rounded to the autocast dtype if it is the
     * other one; otherwise, and with autocast off, {@code t} itself (also for null). F64 is never rounded.
     */
    public static Tensor autocastOperand(Tensor t) {
        DType low = GradMode.current().autocast;
        if (low == null || t == null) {
            return t;
        }
        Tensor f = t.dtype().isHalf() ? t.toType(DType.F32) : t;
        return f.dtype() != DType.F32 || t.dtype() == low ? f : new AutocastRound(low).apply(f);
    }

    /**
     * Turns anomaly detection on or off (globally). When on, every op records where it was created, and a NaN or
     * Inf produced by a backward formula throws an {@link IllegalStateException} naming the op, with the forward
     * call site as its cause. Slow: for debugging only.
     */
    public static void detectAnomaly(boolean enabled) {
        anomalyDetection = enabled;
    }

    /** Whether anomaly detection is on. */
    public static boolean isAnomalyDetectionEnabled() {
        return anomalyDetection;
    }

    /**
     * Backpropagates from several outputs at once, accumulating into the {@code .grad} of leaves.
     *
     * @param gradOutputs one gradient per output (null entries, or a null list, for one-element outputs: ones)
     */
    public static void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph) {
        Engine.backward("backward", outputs.toArray(new Tensor[0]), gradOutputs == null ? null : gradOutputs.toArray(new Tensor[0]),
                retainGraph, createGraph);
    }

    /**
     * Returns the gradients of {@code outputs} with respect to {@code inputs} without touching any {@code .grad}.
     *
     * @param gradOutputs  the gradient of each output (null entries, or a null list, mean ones and need one-element
     *                     outputs)
     * @param retainGraph  keep the saved tensors so the graph can be differentiated again
     * @param createGraph  record the backward computation, so the returned gradients can be differentiated
     * @param allowUnused  return null for inputs the outputs do not depend on instead of throwing
     * @return one gradient per input, in order (zeros for inputs that are reached but receive no gradient)
     */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        return Engine.grad("grad", outputs.toArray(new Tensor[0]), gradOutputs == null ? null : gradOutputs.toArray(new Tensor[0]),
                inputs.toArray(new Tensor[0]), retainGraph, createGraph, allowUnused);
    }

    /** Gradients of a one-element {@code output} with respect to {@code inputs}; frees the graph, no graph recorded. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return Engine.grad("grad", new Tensor[] {output}, null, inputs, false, false, false);
    }

    /**
     * Gradients of a one-element {@code output} with respect to {@code inputs}, recording the backward
     * computation ({@code createGraph}, which implies {@code retainGraph}) so the result can be differentiated.
     */
    public static Tensor[] gradWithGraph(Tensor output, Tensor... inputs) {
        return Engine.grad("grad", new Tensor[] {output}, null, inputs, true, true, false);
    }
}
