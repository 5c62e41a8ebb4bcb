package dev.kasane.autograd;

/** Returned by {@link Tensor#registerHook}: {@link #remove()} unregisters the hook (idempotent). */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
    /** Unregisters the hook. */
    void remove();

    /** Same as {@link #remove()}, so a handle can scope a hook with try-with-resources. */
    @Override
    default void close() {
        remove();
    }
}
