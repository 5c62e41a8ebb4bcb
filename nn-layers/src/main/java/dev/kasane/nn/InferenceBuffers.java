package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.spi.Storage;

/**
 * The memory of the intermediate tensors of one forward under no_grad ({@link Autograd#noGrad}): an intermediate
 * that the forward allocated and consumed is garbage as soon as the op that consumed it returned (no graph saved
 * it, and the library's modules keep no reference to their inputs or outputs), so its memory goes back to the
 * backend at once ({@code Backend.recycle}), as PyTorch's reference counting frees it. Inference then reuses a few
 * buffers instead of filling the Java heap with one array per layer and batch, which the garbage collector answers
 * by growing the heap.
 *
 * <p>Active only with grad mode off and when the module and every module below it are the library's own (a user's
 * module could keep a reference); a tensor allocated before the forward began (its input, a parameter) is never
 * given back, nor one that the consuming op's result shares memory with (a view, an in-place result).
 *
 * <pre>{@code
 * InferenceBuffers buffers = InferenceBuffers.of(this);      // at the start of forward
 * Tensor y = buffers.then(x, conv.forward(x));              // x is the input: kept
 * y = buffers.then(y, bn.forward(y));                       // conv's output: given back once bn has returned
 * }</pre>
 */
public final class InferenceBuffers {
    private static final InferenceBuffers OFF = new InferenceBuffers(Long.MAX_VALUE);

    /** Storages with a larger serial were allocated during this forward. */
    private final long mark;

    private InferenceBuffers(long mark) {
        this.mark = mark;
    }

    /** The buffers of a forward of {@code owner} that starts now. */
    public static InferenceBuffers of(Module owner) {
        return !Autograd.isGradEnabled() && libraryOnly(owner) ? new InferenceBuffers(Storage.lastSerial()) : OFF;
    }

    /**
     * Returns {@code result}, after giving back the memory of {@code consumed} if this forward allocated it and
     * {@code result} does not share it. The caller must not use {@code consumed} (or a view of it) again.
     */
    public Tensor then(Tensor consumed, Tensor result) {
        Storage s = Function.array(consumed).storage();
        if (s.serial() > mark && s != Function.array(result).storage()) {
            s.backend().recycle(s);
        }
        return result;
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
