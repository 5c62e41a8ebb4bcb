package dev.kasane.nn;

import dev.kasane.autograd.Tensor;
import java.util.List;

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
     * it ({@link Intermediates}): its memory goes back to the backend then, or after backward if the graph saved it. In
     * inference a batch-norm layer, and a {@link ReLU} right after it, are written over the output they consume
     * ({@link Intermediates#thenNorm}), with the same values.
     */
    @Override
    public Tensor forward(Tensor input) {
        Intermediates buffers = Intermediates.of(this);
        Tensor x = input;
        List<Module> layers = children();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof AbstractBatchNorm norm) {
                // batch norm and a ReLU after it in one pass over a consumed intermediate in inference (thenNorm)
                boolean relu = i + 1 < layers.size() && layers.get(i + 1).getClass() == ReLU.class;
                x = buffers.thenNorm(x, norm, relu);
                i += relu ? 1 : 0;
            } else {
                x = buffers.then(x, m.forward(x));
            }
        }
        return x;
    }
}
