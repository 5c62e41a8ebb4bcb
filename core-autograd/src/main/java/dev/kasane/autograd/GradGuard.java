package dev.kasane.autograd;

/**
 * Restores the previous grad mode of the thread when closed; returned by {@link Autograd#noGrad()} and
 * {@link Autograd#enableGrad()} for use in try-with-resources. Close it on the thread that opened it.
 */
public final class GradGuard implements AutoCloseable {
    private final GradMode mode;
    private final boolean previous;
    private boolean closed;

    GradGuard(boolean enabled) {
        this.mode = GradMode.current();
        this.previous = mode.enabled;
        mode.enabled = enabled;
    }

    /** Restores the grad mode that was in effect when this guard was created. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mode.enabled = previous;
        }
    }
}
