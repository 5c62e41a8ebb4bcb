package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.Storage;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradient buffers that one backward run alone references, so that their memory goes back to the backend
 * ({@link dev.kasane.tensor.spi.Backend#recycle}) as soon as they are consumed instead of waiting for the garbage
 * collector: the buffers of PyTorch's intermediate gradients, which its reference counting frees at once.
 *
 * <p>A gradient's storage belongs to the run when an op that {@link Function#recyclesGradients recycles gradients}
 * allocated it during its backward (its {@link Storage#serial} is newer than the call), or when the run allocated it
 * summing two gradients. The run counts its references to each such storage: one per input gradient that carries it
 * (an addition's backward hands the same gradient to both of its inputs: two references), each reference consumed once
 * by the node or leaf it goes to. It stays owned while it is passed on (a backward that returns its argument or a view
 * of it) and leaves the run, whatever its count, when user code can see it: a hook, a gradient kept by the sink
 * ({@link Autograd#grad}'s results, a leaf's {@code .grad}, which takes an owned dense buffer without copying when the
 * run holds its only reference), an op that may keep references. The run recycles an owned storage once its last
 * reference was consumed by a backward that returned without passing it on, or added into another gradient. Only a
 * storage held by one reference is summed into in place. Nothing is owned when the run builds a graph (create_graph),
 * as the backward ops may then save their arguments.
 */
final class GradientBuffers {
    private final boolean enabled;
    /** The run's references to each storage it owns (at least 1). */
    private final Map<Storage, Integer> owned = new IdentityHashMap<>();

    GradientBuffers(boolean enabled) {
        this.enabled = enabled;
    }

    /** A point in allocation order; storages allocated after it have a larger {@link Storage#serial}. */
    long mark() {
        return Storage.lastSerial();
    }

    /** Records that user code may see {@code g}: its storage is no longer the run's to recycle. */
    void disown(Tensor g) {
        if (enabled) {
            owned.remove(storage(g));
        }
    }

    /** Consumes one reference to {@code g}'s storage, recycling it after the last; {@code g} is not used afterwards. */
    void release(Tensor g) {
        if (enabled) {
            drop(storage(g));
        }
    }

    private void drop(Storage s) {
        Integer refs = owned.get(s);
        if (refs == null) {
            return;
        }
        if (refs > 1) {
            owned.put(s, refs - 1);
        } else {
            owned.remove(s);
            s.backend().recycle(s);
        }
    }

    private void add(Storage s) {
        owned.merge(s, 1, Integer::sum);
    }

    /**
     * Updates ownership after {@code f}'s backward consumed {@code g} and returned {@code gin} (null entries for
     * inputs without a gradient), given the {@link #mark} taken before the call.
     */
    void consumed(Function f, Tensor g, Tensor[] gin, long mark) {
        if (!enabled) {
            return;
        }
        Storage gs = storage(g);
        if (!f.recyclesGradients()) {
            owned.remove(gs); // the op may keep it
            return;
        }
        boolean gOwned = owned.containsKey(gs);
        for (Tensor t : gin) {
            if (t == null) {
                continue;
            }
            Storage s = storage(t);
            if (s == gs ? gOwned : s.serial() > mark) {
                add(s);
            }
        }
        if (gOwned) {
            drop(gs); // g's own reference, after its passed-on ones were counted
        }
    }

    /**
     * {@code acc + g} for two gradients of one tensor: in place into {@code acc} when the run holds its only
     * reference and it is dense, else a new sum owned by the run; the summands' references are consumed.
     */
    Tensor sum(Tensor acc, Tensor g) {
        if (!enabled) {
            return acc.add(g);
        }
        Storage as = storage(acc);
        if (soleReference(as) && acc.data.isContiguous() && as != storage(g)) {
            acc.data.binaryInPlace(BinaryOp.ADD, g.data);
            release(g);
            return acc;
        }
        long mark = mark();
        Tensor sum = acc.add(g);
        release(acc);
        release(g);
        Storage ss = storage(sum);
        if (ss.serial() > mark) {
            add(ss);
        }
        return sum;
    }

    /**
     * Whether {@code g} can become a tensor's {@code .grad} as it is: the run's only reference to its storage, dense
     * from the start of the storage.
     */
    boolean canHandOver(Tensor g) {
        NDArray d = g.data;
        return enabled && soleReference(storage(g)) && d.isContiguous() && d.offset() == 0
                && d.storage().size() == d.numel();
    }

    private boolean soleReference(Storage s) {
        Integer refs = owned.get(s);
        return refs != null && refs == 1;
    }

    private static Storage storage(Tensor t) {
        return t.data.storage();
    }
}
