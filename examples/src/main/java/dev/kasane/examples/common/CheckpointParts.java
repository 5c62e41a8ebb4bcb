package dev.kasane.examples.common;

import dev.kasane.nn.Module;
import dev.kasane.optim.LRScheduler;
import dev.kasane.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

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
    private final Map<String, Object> parts = new LinkedHashMap<>();

    /** Adds a module under {@code name}. */
    public CheckpointParts add(String name, Module module) {
        return put(name, module);
    }

    /** Adds an optimizer under {@code name} (after the modules it optimizes). */
    public CheckpointParts add(String name, Optimizer<?> optimizer) {
        return put(name, optimizer);
    }

    /** Adds an LR scheduler under {@code name}. */
    public CheckpointParts add(String name, LRScheduler scheduler) {
        return put(name, scheduler);
    }

    private CheckpointParts put(String name, Object part) {
        if (parts.putIfAbsent(name, part) != null) {
            throw new IllegalArgumentException("CheckpointParts: part name '" + name + "' used twice");
        }
        return this;
    }

    /** Adds every part to {@code ck}; returns it. */
    Checkpoint addTo(Checkpoint ck) {
        for (Map.Entry<String, Object> p : parts.entrySet()) {
            if (p.getValue() instanceof Module m) {
                ck.add(p.getKey(), m);
            } else if (p.getValue() instanceof Optimizer<?> o) {
                ck.add(p.getKey(), o);
            } else {
                ck.add(p.getKey(), (LRScheduler) p.getValue());
            }
        }
        return ck;
    }

    /** Loads every part from {@code ck} (strictly, see {@link Checkpoint#restore(String, Module)}). */
    void restoreFrom(Checkpoint ck) {
        for (Map.Entry<String, Object> p : parts.entrySet()) {
            if (p.getValue() instanceof Module m) {
                ck.restore(p.getKey(), m);
            } else if (p.getValue() instanceof Optimizer<?> o) {
                ck.restore(p.getKey(), o);
            } else {
                ck.restore(p.getKey(), (LRScheduler) p.getValue());
            }
        }
    }
}
