package dev.kasane.nn;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.spi.Storage;

/**
 * The memory of the intermediate results of one forward: an intermediate that the forward computed and consumed is
 * given back to the backend ({@code Backend.recycle}) as soon as nothing can read it any more, as PyTorch's
 * reference counting frees it: at once under no_grad (or when no graph node saved it), else when the last graph node
 * that saved it for backward has been released after its backward ({@link Storage#releaseIntermediate}). Training
 * and inference then reuse a few buffers per step instead of filling the Java heap with one array per layer and
 * batch, which the garbage collector answers by growing the heap.
 *
 * <p>Active only when the module and every module below it are the library's own (a user's module could keep a
 * reference to what it sees); a tensor allocated before the forward began (its input, a parameter) is never given
 * back, nor one that the consuming op's result shares memory with (a view, an in-place result).
 *
 * <pre>{@code
 * Intermediates buffers = Intermediates.of(this);           // at the start of forward
 * Tensor y = buffers.then(x, conv.forward(x));              // x is the input: kept
 * y = buffers.then(y, bn.forward(y));                       // conv's output: released once bn has returned
 * }</pre>
 */
public final class Intermediates {
    private static final Intermediates OFF = new Intermediates(Long.MAX_VALUE);

    /** Storages with a larger serial were allocated during this forward. */
    private final long mark;

    private Intermediates(long mark) {
        this.mark = mark;
    }

    /** The intermediates of a forward of {@code owner} that starts now. */
    public static Intermediates of(Module owner) {
        return libraryOnly(owner) ? new Intermediates(Storage.lastSerial()) : OFF;
    }

    /**
     * Returns {@code result}, after releasing {@code consumed} if this forward allocated it and {@code result} does
     * not share its memory. The caller must not use {@code consumed} (or a view of it) again.
     */
    public Tensor then(Tensor consumed, Tensor result) {
        Storage s = Function.array(consumed).storage();
        if (s.serial() > mark && s != Function.array(result).storage()) {
            s.releaseIntermediate();
        }
        return result;
    }

    /** Whether {@code module} and all its descendants are classes of the library's layers or model zoo. */
    private static boolean libraryOnly(Module module) {
        String name = module.getClass().getName();
        if (!name.startsWith("dev.kasane.nn.") && !name.startsWith("dev.kasane.vision.")) {
            return false;
        }
        for (Module child : module.children()) {
            if (!libraryOnly(child)) {
                return false;
            }
        }
        return true;
    }
}
