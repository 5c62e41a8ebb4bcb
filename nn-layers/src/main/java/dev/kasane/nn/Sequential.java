package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.Iterator;
import java.util.List;

/** Modules applied in order; children are named {@code "0"}, {@code "1"}, ... as in PyTorch. */
public class Sequential extends Module implements Iterable<Module> {
    private int count;

    /** A sequence of the given modules. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module (named by its position); returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(count++), module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= count) {
            throw error("index " + index + " out of range for " + count + " modules");
        }
        return child(Integer.toString(index));
    }

    /** The number of modules. */
    public int size() {
        return count;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) {
            x = m.forward(x);
        }
        return x;
    }

    @Override
    public Iterator<Module> iterator() {
        List<Module> c = children();
        return c.iterator();
    }
}
