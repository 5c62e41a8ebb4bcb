package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.Storage;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jocl.cl_mem;

/**
 * A device buffer of {@code size} elements on one OpenCL device.
 *
 * <p>The buffer is freed by {@link #close()} (idempotent), or, as a safety net, by a {@link Cleaner} once the storage
 * is unreachable; either way {@link OpenClBackend#memoryInUse} drops by {@link #bytes()}. OpenCL keeps a released
 * buffer alive until the kernels already enqueued on it have run, so closing never races the queue. Using a closed
 * storage throws {@link IllegalStateException}.
 */
public final class OpenClStorage extends Storage implements AutoCloseable {
    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "kasane-opencl-cleaner");
            t.setDaemon(true);
            return t;
        });
    }

    /** Frees the buffer exactly once; holds no reference to the storage. */
    private static final class Releaser implements Runnable {
        private final OpenClContext ctx;
        private final cl_mem mem;
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        Releaser(OpenClContext ctx, cl_mem mem, long bytes) {
            this.ctx = ctx;
            this.mem = mem;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            if (released.compareAndSet(false, true) && mem != null) {
                ctx.releaseBuffer(mem, bytes);
            }
        }
    }

    private final OpenClContext ctx;
    private final cl_mem mem;
    private final long bytes;
    private final Releaser releaser;
    private final Cleaner.Cleanable cleanable;

    /** Wraps {@code mem} (null for an empty storage), which was made by {@link OpenClContext#createBuffer}. */
    OpenClStorage(Backend backend, OpenClContext ctx, DType dtype, int size, cl_mem mem) {
        super(backend, ctx.device, dtype, size);
        this.ctx = ctx;
        this.mem = mem;
        this.bytes = mem == null ? 0 : (long) size * dtype.byteSize();
        this.releaser = new Releaser(ctx, mem, bytes);
        this.cleanable = CleanerHolder.CLEANER.register(this, releaser);
    }

    /** Allocates a buffer of {@code size} elements of {@code dtype} (contents unspecified). */
    static OpenClStorage allocate(Backend backend, OpenClContext ctx, DType dtype, int size) {
        cl_mem m = size == 0 ? null : ctx.createBuffer("allocate", (long) size * dtype.byteSize(), null);
        return new OpenClStorage(backend, ctx, dtype, size, m);
    }

    OpenClContext context() {
        return ctx;
    }

    /** The buffer (a placeholder for empty storage). */
    cl_mem mem() {
        if (releaser.released.get()) {
            throw new IllegalStateException("opencl: storage of " + size() + " " + dtype() + " on " + device()
                    + " was already closed");
        }
        return mem != null ? mem : ctx.dummy;
    }

    /** Bytes of device memory this storage holds until it is closed. */
    public long bytes() {
        return bytes;
    }

    /** True once the buffer has been freed. */
    public boolean isClosed() {
        return releaser.released.get();
    }

    /** Frees the device buffer now; later use of any array viewing this storage throws. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
