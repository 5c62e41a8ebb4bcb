package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Map;

/** Modules registered by name, in insertion order. Like PyTorch's, it has no forward. */
public class ModuleDict extends Module {
    /** An empty dict. */
    public ModuleDict() {
    }

    /** A dict of the given modules, in the map's iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Registers {@code module} under {@code name}; returns this. */
    public ModuleDict put(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    /** The module registered under {@code name}, or null. */
    public Module get(String name) {
        return child(name);
    }

    /** Whether a module is registered under {@code name}. */
    public boolean containsKey(String name) {
        return child(name) != null;
    }

    /** The number of modules. */
    public int size() {
        return children().size();
    }

    /** Always throws: a ModuleDict has no forward of its own. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(label() + ": a ModuleDict has no forward; look its modules up by name");
    }
}
