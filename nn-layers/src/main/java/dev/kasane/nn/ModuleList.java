package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Iterator;

/**
 * A list of registered modules (children named {@code "0"}, {@code "1"}, ...). Like PyTorch's, it has no forward:
 * the owning module iterates over it.
 */
public class ModuleList extends Module implements Iterable<Module> {
    private int count;

    /** A list of the given modules. */
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module; returns this. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(count++), module);
        return this;
    }

    /**
     * Replaces the module at {@code index} (PyTorch's {@code seq[index] = module}), keeping its name and its place in
     * the state dict; returns this.
     *
     * @throws IllegalArgumentException if {@code index} is out of range
     */
    public ModuleList set(int index, Module module) {
        checkIndex(index);
        replaceModule(Integer.toString(index), module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        checkIndex(index);
        return child(Integer.toString(index));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw error("index " + index + " out of range for " + count + " modules");
        }
    }

    /** The number of modules. */
    public int size() {
        return count;
    }

    /** Always throws: a ModuleList has no forward of its own. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(label() + ": a ModuleList has no forward; iterate over its modules");
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }
}
