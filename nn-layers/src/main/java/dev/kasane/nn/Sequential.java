package dev.kasane.nn;

import dev.kasane.autograd.Tensor;

/**
 * Modules applied in order; children are named {@code "0"}, {@code "1"}, ... as in PyTorch. A {@link ModuleList}
 * with a forward.
 */
public class Sequential extends ModuleList {
    /** A sequence of the given modules. */
    public Sequential(Module... modules) {
        super(modules);
    }

    /** Appends a module (named by its position); returns this. */
    @Override
    public Sequential add(Module module) {
        super.add(module);
        return this;
    }

    /** Replaces the module at {@code index} (PyTorch's {@code seq[index] = module}); returns this. */
    @Override
    public Sequential set(int index, Module module) {
        super.set(index, module);
        return this;
    }

    /**
     * Applies the modules in order. Each output that one child allocated is released once the next child has consumed
     * it ({@link Intermediates}): its memory goes back to the backend then, or after backward if the graph saved it.
     */
    @Override
    public Tensor forward(Tensor input) {
        Intermediates buffers = Intermediates.of(this);
        Tensor x = input;
        for (Module m : this) {
            x = buffers.then(x, m.forward(x));
        }
        return x;
    }
}
