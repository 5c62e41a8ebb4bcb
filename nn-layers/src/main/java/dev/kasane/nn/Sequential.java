package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.spi.Storage;

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
     * Applies the modules in order.
     *
     * <p>With grad mode off ({@link Autograd#noGrad}), an output that one child allocated and the next one consumed
     * is garbage as soon as the next child returns (no graph saved it; the library's modules keep no reference to
     * their inputs or outputs), so its memory goes back to the backend at once ({@code Backend.recycle}), as
     * PyTorch's reference counting frees it: inference then reuses a few buffers instead of filling the Java heap
     * with one array per layer and batch. This applies only when this container and every module below it are the
     * library's own (a user's module could keep a reference), and never to this container's input or output.
     */
    @Override
    public Tensor forward(Tensor input) {
        boolean recycle = !Autograd.isGradEnabled() && libraryOnly(this);
        Tensor x = input;
        Storage owned = null;   // x's storage when a child of this call allocated it
        for (Module m : this) {
            long mark = Storage.lastSerial();
            Tensor y = m.forward(x);
            if (recycle) {
                Storage s = Function.array(y).storage();
                if (owned != null && s != owned) {
                    owned.backend().recycle(owned);
                }
                owned = s == owned || s.serial() > mark ? s : null;
            }
            x = y;
        }
        return x;
    }

    /** Whether {@code module} and all its descendants are classes of the library's layers or model zoo. */
    private static boolean libraryOnly(Module module) {
        for (Module m : module.modules()) {
            String name = m.getClass().getName();
            if (!name.startsWith("dev.kasane.nn.") && !name.startsWith("dev.kasane.vision.")) {
                return false;
            }
        }
        return true;
    }
}
