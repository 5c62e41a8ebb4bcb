package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.Storage;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The gradient buffers that one backward run alone references, so that their memory goes back to the backend
 * ({@link dev.kasane.tensor.spi.Backend#recycle}) as soon as they are consumed instead of waiting for the garbage
 * collector: the buffers of PyTorch's intermediate gradients, which its reference counting frees at once.
 *
 * <p>A gradient's storage belongs to the run when an op that {@link Function#recyclesGradients recycles gradients}
 * allocated it during its backward (its {@link Storage#serial} is newer than the call) and returned it for one input
 * only, or when the run allocated it summing two gradients. It stays owned while it is passed on (a backward that
 * returns a view of its argument), and leaves the run when user code can see it: a hook, a gradient kept by the sink
 * ({@link Autograd#grad}'s results, a leaf's {@code .grad}, which takes an owned dense buffer without copying), an op
 * that may keep references. The run recycles an owned storage once the backward that consumed it returned without
 * passing it on, or once it was added into another. Nothing is owned when the run builds a graph (create_graph), as
 * the backward ops may then save their arguments.
 */
final class GradientBuffers {
    private final boolean enabled;
    private final Set<Storage> owned = Collections.newSetFromMap(new IdentityHashMap<>());

    GradientBuffers(boolean enabled) {
        this.enabled = enabled;
    }

    /** A point in allocation order; storages allocated after it have a larger {@link Storage#serial}. */
    long mark() {
        return Storage.lastSerial();
    }

    /** Whether the run alone references {@code g}'s storage. */
    boolean owns(Tensor g) {
        return enabled && owned.contains(storage(g));
    }

    /** Records that user code may see {@code g}: its storage is no longer the run's to recycle. */
    void disown(Tensor g) {
        if (enabled) {
            owned.remove(storage(g));
        }
    }

    /** Recycles {@code g}'s storage if the run owns it; {@code g} must not be used afterwards. */
    void release(Tensor g) {
        if (enabled && owned.remove(storage(g))) {
            Storage s = storage(g);
            s.backend().recycle(s);
        }
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
        boolean gOwned = owned.remove(gs);
        boolean trusted = f.recyclesGradients();
        boolean passedOn = false;
        for (int i = 0; i < gin.length; i++) {
            if (gin[i] == null) {
                continue;
            }
            Storage s = storage(gin[i]);
            passedOn |= s == gs;
            boolean own = trusted && once(gin, s) && (s == gs ? gOwned : s.serial() > mark);
            if (own) {
                owned.add(s);
            }
        }
        if (gOwned && trusted && !passedOn) {
            gs.backend().recycle(gs);
        }
    }

    /**
     * {@code acc + g} for two gradients of one tensor: in place into {@code acc} when the run owns it and it is dense,
     * else a new sum owned by the run; the summands the run owns are recycled.
     */
    Tensor sum(Tensor acc, Tensor g) {
        if (!enabled) {
            return acc.add(g);
        }
        Storage as = storage(acc);
        if (owned.contains(as) && acc.data.isContiguous() && as != storage(g)) {
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
            owned.add(ss);
        }
        return sum;
    }

    /** Whether {@code g} can become a tensor's {@code .grad} as it is: owned, dense from the start of its storage. */
    boolean canHandOver(Tensor g) {
        NDArray d = g.data;
        return owns(g) && d.isContiguous() && d.offset() == 0 && d.storage().size() == d.numel();
    }

    private static boolean once(Tensor[] gin, Storage s) {
        int n = 0;
        for (Tensor t : gin) {
            if (t != null && storage(t) == s) {
                n++;
            }
        }
        return n == 1;
    }

    private static Storage storage(Tensor t) {
        return t.data.storage();
    }
}
