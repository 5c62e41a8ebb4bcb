package dev.kasane.nn;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
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

    /**
     * {@code norm(y)}, then a ReLU when {@code relu}, consuming {@code y} (the caller must not use it, or a view of it,
     * again). In inference (eval mode, nothing recording a graph) on an intermediate this forward allocated, computed
     * over y's own memory in one pass ({@link F#batchNormInPlace}); else {@code then(y, norm.forward(y))} and
     * {@code then(z, F.relu(z))}. Both give the same values bit for bit.
     */
    public Tensor thenNorm(Tensor y, AbstractBatchNorm norm, boolean relu) {
        Tensor r = allocatedHere(y) ? norm.forwardInPlace(y, null, relu) : null;
        if (r != null) {
            return r;
        }
        Tensor z = then(y, norm.forward(y));
        return relu ? then(z, F.relu(z)) : z;
    }

    /**
     * {@code relu(norm(y) + shortcut)}, a residual block's output, consuming both ({@code shortcut} is released only
     * if this forward allocated it). In inference on an intermediate {@code y} this forward allocated, computed over
     * y's own memory in one pass; else through new arrays. Both give the same values bit for bit.
     */
    public Tensor thenNormAddRelu(Tensor y, AbstractBatchNorm norm, Tensor shortcut) {
        boolean apart = Function.array(y).storage() != Function.array(shortcut).storage();
        Tensor r = apart && allocatedHere(y) ? norm.forwardInPlace(y, shortcut, true) : null;
        if (r == null) {
            Tensor z = then(y, norm.forward(y));
            r = then(z, z.add(shortcut));
            then(shortcut, r);
            return then(r, F.relu(r));
        }
        return then(shortcut, r);
    }

    /** Whether this forward allocated {@code t}'s memory (never when inactive). */
    private boolean allocatedHere(Tensor t) {
        return Function.array(t).storage().serial() > mark;
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
