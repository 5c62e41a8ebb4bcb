package dev.kasane.tensor.spi;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A flat buffer of {@link #size()} elements of one dtype, owned by one backend on one device.
 * {@link dev.kasane.tensor.NDArray}s are strided views over a storage; several views can share one.
 *
 * <p>Every in-place write through the public API bumps {@link #version()}, which autograd uses to
 * detect that a tensor saved for backward was modified.
 *
 * <p>Each storage has a {@link #serial()} in allocation order, which tells whether it was created after a point in
 * time ({@link #lastSerial()} taken then): autograd uses it to know that a gradient was freshly allocated by the
 * backward that returned it, and may therefore {@link Backend#recycle recycle} its memory once consumed.
 */
public abstract class Storage {
    private static final AtomicLong SERIALS = new AtomicLong();

    private final Backend backend;
    private final Device device;
    private final DType dtype;
    private final int size;
    private volatile int version;
    private final long serial = SERIALS.incrementAndGet();
    /** Graph nodes that hold a tensor of this storage for backward ({@link #retainForBackward}). */
    private int savedBy;
    /** Whether the forward that computed this storage is done with it ({@link #releaseIntermediate}). */
    private boolean intermediate;

    protected Storage(Backend backend, Device device, DType dtype, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("storage: negative size " + size);
        }
        this.backend = backend;
        this.device = device;
        this.dtype = dtype;
        this.size = size;
    }

    /** The backend that owns this storage. */
    public final Backend backend() {
        return backend;
    }

    /** The device the storage lives on. */
    public final Device device() {
        return device;
    }

    /** Element type. */
    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    /** This storage's place in allocation order: larger than the serial of every storage created before it. */
    public final long serial() {
        return serial;
    }

    /** The serial of the latest storage created (in any thread); storages created after this call have larger ones. */
    public static long lastSerial() {
        return SERIALS.get();
    }

    /** The version counter, bumped by each in-place write. */
    public final int version() {
        return version;
    }

    /** Records an in-place write. */
    public final synchronized void bumpVersion() {
        version++;
    }

    /** Records that a recorded graph node saved a tensor of this storage for its backward (autograd calls it). */
    public final synchronized void retainForBackward() {
        savedBy++;
    }

    /**
     * Records that a graph node released what it saved ({@link #retainForBackward}); a storage that
     * {@link #releaseIntermediate its forward released} goes back to its backend when the last node lets go.
     */
    public final void releaseFromBackward() {
        boolean recycle;
        synchronized (this) {
            savedBy--;
            recycle = savedBy == 0 && intermediate;
            intermediate &= !recycle;
        }
        if (recycle) {
            backend.recycle(this);
        }
    }

    /**
     * Tells that the forward which computed this storage will not use it again and that no user code can reach it
     * (an intermediate result inside a library module): its memory goes back to the backend ({@link Backend#recycle})
     * now if no graph node saved it for backward, or when the last one that did is released after its backward, as
     * PyTorch's reference counting frees it. Any later use of the storage fails.
     */
    public final void releaseIntermediate() {
        boolean now;
        synchronized (this) {
            now = savedBy == 0;
            intermediate = !now;
        }
        if (now) {
            backend.recycle(this);
        }
    }
}
