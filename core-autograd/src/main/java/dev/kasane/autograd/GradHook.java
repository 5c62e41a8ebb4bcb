package dev.kasane.autograd;

/**
 * A hook on a tensor's gradient, registered with {@link Tensor#registerHook}. It is called with the gradient
 * flowing into the tensor during backward and may return a replacement (same shape), or {@code null} to keep it.
 *
 * <pre>{@code
 * x.registerHook(g -> g.clamp(-1, 1));   // clip the gradient flowing into x
 * }</pre>
 */
@FunctionalInterface
public interface GradHook {
    /** Returns the gradient to use instead of {@code grad}, or {@code null} to leave it unchanged. */
    Tensor apply(Tensor grad);
}
