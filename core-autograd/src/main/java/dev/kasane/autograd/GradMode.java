package dev.kasane.autograd;

import dev.kasane.tensor.DType;

/** Per-thread autograd state: whether ops record the graph, and the dtype autocast rounds matrix products to. */
final class GradMode {
    private static final ThreadLocal<GradMode> CURRENT = ThreadLocal.withInitial(GradMode::new);

    boolean enabled = true;
    /** BF16 or F16 inside an enabled autocast scope, else null. */
    DType autocast;

    static GradMode current() {
        return CURRENT.get();
    }
}
