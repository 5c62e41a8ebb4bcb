package dev.kasane.autograd;

/** Per-thread grad mode: whether ops record the graph. */
final class GradMode {
    private static final ThreadLocal<GradMode> CURRENT = ThreadLocal.withInitial(GradMode::new);

    boolean enabled = true;

    static GradMode current() {
        return CURRENT.get();
    }
}
