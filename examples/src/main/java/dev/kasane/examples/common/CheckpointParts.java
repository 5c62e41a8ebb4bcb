package dev.kasane.examples.common;

import dev.kasane.nn.Module;
import dev.kasane.optim.LRScheduler;
import dev.kasane.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The parts of a run that its checkpoints hold (modules, optimizers, LR schedulers), each named once: saved by
 * {@link RunStart#save} and restored by {@link RunStart#restore}, in the order added (modules before their
 * optimizers).
 *
 * <pre>{@code
 * CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
 * History history = from.restore(parts, new History("epoch", "loss"));
 * ... after each epoch: from.save(parts, epoch + 1, history);
 * }</pre>
 */
public final class CheckpointParts {
    /** How a part goes into a checkpoint and comes back out of it, under a name. */
    private record Part(BiConsumer<Checkpoint, String> add, BiConsumer<Checkpoint, String> restore) {
    }

    private final Map<String, Part> parts = new LinkedHashMap<>();

    /** Adds a module under {@code name}. */
    public CheckpointParts add(String name, Module module) {
        return put(name, new Part((ck, n) -> ck.add(n, module), (ck, n) -> ck.restore(n, module)));
    }

    /** Adds an optimizer under {@code name} (after the modules it optimizes). */
    public CheckpointParts add(String name, Optimizer<?> optimizer) {
        return put(name, new Part((ck, n) -> ck.add(n, optimizer), (ck, n) -> ck.restore(n, optimizer)));
    }

    /** Adds an LR scheduler under {@code name}. */
    public CheckpointParts add(String name, LRScheduler scheduler) {
        return put(name, new Part((ck, n) -> ck.add(n, scheduler), (ck, n) -> ck.restore(n, scheduler)));
    }

    private CheckpointParts put(String name, Part part) {
        if (parts.putIfAbsent(name, part) != null) {
            throw new IllegalArgumentException("CheckpointParts: part name '" + name + "' used twice");
        }
        return this;
    }

    /** Adds every part to {@code ck}; returns it. */
    Checkpoint addTo(Checkpoint ck) {
        parts.forEach((name, p) -> p.add().accept(ck, name));
        return ck;
    }

    /** Loads every part from {@code ck} (strictly, see {@link Checkpoint#restore(String, Module)}). */
    void restoreFrom(Checkpoint ck) {
        parts.forEach((name, p) -> p.restore().accept(ck, name));
    }
}
