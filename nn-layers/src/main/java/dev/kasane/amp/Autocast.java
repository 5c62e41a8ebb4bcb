package dev.kasane.amp;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.util.Objects;

/**
 * A scope in which matrix products and convolutions run with 16-bit float inputs and F32 accumulation, PyTorch's
 * {@code torch.autocast}: a try-with-resources block, per thread, nestable.
 *
 * <pre>{@code
 * try (Autocast ignored = Autocast.bf16()) {
 *     Tensor loss = F.crossEntropy(model.forward(x), y);
 *     loss.backward();
 * }
 * }</pre>
 *
 * <p><b>What it changes.</b> Inside an enabled scope, {@code F.linear} (so {@code Linear}), {@code F.conv1d},
 * {@code F.conv2d}, {@code F.convTranspose2d} (so the convolution layers) and {@code Tensor.matmul}, the ops of PyTorch's CPU autocast
 * lower-precision list that layers use, round each F32 operand (weight, input, and the convolution's fused bias) to
 * the scope's dtype ({@link DType#BF16} by default, or {@link DType#F16}) with round to nearest even, then multiply
 * and accumulate in F32. The result is F32 (PyTorch's CPU autocast returns BF16, rounded from the same F32
 * accumulation; Kasane keeps the unrounded F32). Every other op (activations, normalization, softmax, losses:
 * PyTorch's F32 list and the rest) runs as it would outside the scope, in F32. F64 operands are never cast, as in
 * PyTorch. Operands stored as BF16 or F16 (weights kept in 16 bits to save memory) are accepted there and widened
 * exactly, which outside a scope these ops refuse. {@code Tensor.matmul} and {@code Tensor.bmm}
 * round their operands too (so {@code F.linear} and {@code MultiheadAttention}'s products), as PyTorch's list has
 * {@code matmul}, {@code mm} and {@code bmm}. Backward passes run with autocast off, so gradients are computed
 * the same way wherever {@code backward()} is called, inside the scope or after it.
 *
 * <p><b>Gradients.</b> The rounding is differentiable as PyTorch's cast is: the gradient that reaches a rounded
 * operand is itself rounded to the scope's dtype and passed to the F32 original (an F32 leaf's {@code grad()} is F32
 * holding 16-bit values). With F16 small gradients underflow to zero, which is what
 * {@link GradScaler} prevents.
 *
 * <p><b>Speed on the CPU.</b> Kasane's kernels compute in F32 either way, so a scope adds a rounding pass over each
 * operand (and gradient) and saves nothing: it reproduces the numerics of 16-bit training, it does not make it faster
 * (see README, "Mixed precision", for the measured cost). Memory is saved by storing tensors as BF16/F16
 * ({@code toType}), not by this scope.
 *
 * <p>Scopes must be closed on the thread that opened them, innermost first (try-with-resources does this).
 */
public final class Autocast implements AutoCloseable {
    private static final ThreadLocal<Autocast> CURRENT = new ThreadLocal<>();

    private final DType dtype;
    private final boolean enabled;
    private final Autocast previous;
    private final Thread owner;
    private boolean closed;

    private Autocast(DType dtype, boolean enabled) {
        this.dtype = dtype;
        this.enabled = enabled;
        this.previous = CURRENT.get();
        this.owner = Thread.currentThread();
        CURRENT.set(this);
        Autograd.setAutocastDtype(enabled ? dtype : null);
    }

    /** Opens an enabled scope with BF16 inputs ({@code torch.autocast("cpu")}). */
    public static Autocast bf16() {
        return open(DType.BF16, true);
    }

    /**
     * Opens a scope; {@code enabled = false} turns autocast off inside it (also inside an enclosing enabled scope),
     * as {@code torch.autocast(..., enabled=False)} does.
     *
     * @param dtype {@link DType#BF16} or {@link DType#F16}
     * @throws IllegalArgumentException if {@code dtype} is not BF16 or F16
     */
    public static Autocast open(DType dtype, boolean enabled) {
        Objects.requireNonNull(dtype, "Autocast: dtype");
        if (!dtype.isHalf()) {
            throw new IllegalArgumentException("Autocast: the low-precision dtype must be BF16 or F16, got " + dtype);
        }
        return new Autocast(dtype, enabled);
    }

    /** The dtype this scope rounds to. */
    public DType dtype() {
        return dtype;
    }

    /** Whether this scope rounds (false for a scope opened with {@code enabled = false}). */
    public boolean enabled() {
        return enabled;
    }

    /** The dtype that matmul and convolution operands are rounded to on this thread now, or null outside any enabled scope. */
    public static DType activeDtype() {
        return Autograd.autocastDtype();
    }

    /**
     * The operand of a lower-precision op inside an active scope on this thread: an F32 {@code t} rounded to the
     * scope's dtype (held in F32, differentiable as described in the class notes), a BF16 or F16 {@code t} (a tensor
     * stored in 16 bits, which carries no gradient) widened to F32 and rounded to the scope's dtype if it is the other
     * one; otherwise, and outside a scope, {@code t} itself (also for null). Ops of PyTorch's lower-precision list call
     * this on their operands.
     */
    public static Tensor cast(Tensor t) {
        return Autograd.autocastOperand(t);
    }

    /**
     * Closes this scope, restoring the enclosing one.
     *
     * @throws IllegalStateException if called on another thread, or while a scope opened inside this one is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner || CURRENT.get() != this) {
            throw new IllegalStateException("Autocast.close: scopes must be closed on the thread that opened them ("
                    + owner.getName() + "), innermost first");
        }
        closed = true;
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
        Autograd.setAutocastDtype(previous != null && previous.enabled ? previous.dtype : null);
    }
}
