package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Host arrays kept for reuse, the CPU backend's counterpart of PyTorch's caching allocator: arrays come back through
 * {@link CpuBackend#recycle} (autograd's consumed gradients) and from kernels' scratch buffers, and
 * {@link #take} hands out one of the same type and length before allocating a new one. Training repeats the same
 * shapes every step, so the Java heap sees far fewer large allocations, collects less often and stays smaller.
 *
 * <p>Arrays shorter than {@link #MIN_LENGTH} elements are not kept (the JVM allocates them cheaply). The pool holds
 * at most {@code kasane.cpu.poolBytes} bytes (default: an eighth of the maximum heap, at most 512 MiB; 0 turns
 * reuse off); an array given back when it is full is left to the garbage collector (a training or inference loop
 * reuses its arrays in a cycle: keeping the first of them serves every cycle, where making room for the latest would
 * drop the next one needed). An array that nobody took for {@link #IDLE_SECONDS} seconds and
 * {@link #IDLE_OPERATIONS} gives and takes is dropped on the next one, so the arrays of an earlier phase (training,
 * then evaluation at another batch size) do not stay in the heap, while a slow training step (a cycle of a few
 * hundred operations) keeps its own. The pool holds its arrays softly, so the JVM takes them back before it would
 * run out of memory: keeping arrays never causes an
 * {@link OutOfMemoryError}.
 */
final class HostArrayPool {
    /** Arrays shorter than this are neither kept nor looked up. */
    static final int MIN_LENGTH = 4096;
    /** Seconds after which a kept array nobody took is dropped (once {@link #IDLE_OPERATIONS} passed too). */
    static final long IDLE_SECONDS = 2;
    /** Gives and takes after which a kept array nobody took is dropped (once {@link #IDLE_SECONDS} passed too). */
    static final long IDLE_OPERATIONS = 1000;

    private static final HostArrayPool SHARED = new HostArrayPool(capacityFromProperty(), System::nanoTime,
            Boolean.getBoolean("kasane.cpu.fillUninitialized"));

    private final long capacityBytes;
    private final boolean fillUninitialized;
    private final LongSupplier nanoClock;
    private final HashMap<Long, ArrayDeque<Kept>> free = new HashMap<>();
    /** Every kept array, in the order they were given back (oldest first). */
    private final LinkedHashSet<Kept> byAge = new LinkedHashSet<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private long heldBytes;
    /** Gives and takes of arrays the pool handles so far. */
    private long operations;

    /** A kept array, softly referenced; its bytes count in {@link #heldBytes} until it is taken or cleared. */
    private static final class Kept extends SoftReference<Object> {
        final long key;
        final long bytes;
        final long givenAt;
        final long givenOperation;
        boolean counted = true;

        Kept(Object array, long key, long bytes, long givenAt, long givenOperation, ReferenceQueue<Object> queue) {
            super(array, queue);
            this.key = key;
            this.bytes = bytes;
            this.givenAt = givenAt;
            this.givenOperation = givenOperation;
        }

        /** Stops counting this array's bytes; returns how many that frees. */
        long uncount() {
            long b = counted ? bytes : 0;
            counted = false;
            return b;
        }
    }

    /**
     * @param fillUninitialized fill every array handed out by {@link #takeUninitialized} with NaN (integers: a marker
     *        value); the shared pool does with {@code -Dkasane.cpu.fillUninitialized=true} (PyTorch's
     *        {@code torch.utils.deterministic.fill_uninitialized_memory}), which the test suites set, so that a kernel
     *        reading an element of its output before writing it fails them
     */
    HostArrayPool(long capacityBytes, LongSupplier nanoClock, boolean fillUninitialized) {
        this.capacityBytes = capacityBytes;
        this.nanoClock = nanoClock;
        this.fillUninitialized = fillUninitialized;
    }

    /** The pool shared by the CPU backend and its kernels. */
    static HostArrayPool shared() {
        return SHARED;
    }

    private static long capacityFromProperty() {
        long dflt = Math.min(Runtime.getRuntime().maxMemory() / 8, 512L << 20);
        String v = System.getProperty("kasane.cpu.poolBytes");
        if (v == null) {
            return dflt;
        }
        try {
            long bytes = Long.parseLong(v.trim());
            if (bytes < 0) {
                throw new NumberFormatException("negative");
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kasane.cpu.poolBytes: expected a number of bytes >= 0, got '" + v + "'", e);
        }
    }

    /** A zeroed array of {@code dtype}'s host type and {@code length} elements, reused when one is free. */
    Object take(DType dtype, int length) {
        Object a = takeDirty(dtype, length);
        if (a != null) {
            clear(a);
            return a;
        }
        return dtype.newHostArray(length);
    }

    /**
     * An array of {@code dtype}'s host type and {@code length} elements with arbitrary contents, for a kernel that
     * writes every element before reading any, and for {@link CpuBackend#allocate} (whose contents are unspecified, as
     * PyTorch's {@code empty}); NaN-filled if this pool was made to fill them.
     */
    Object takeUninitialized(DType dtype, int length) {
        Object a = takeDirty(dtype, length);
        a = a != null ? a : dtype.newHostArray(length);
        if (fillUninitialized) {
            fillGarbage(a);
        }
        return a;
    }

    /** Whether {@link #takeUninitialized} fills its arrays with NaN. */
    boolean fillsUninitialized() {
        return fillUninitialized;
    }

    private static void fillGarbage(Object a) {
        if (a instanceof float[] f) {
            Arrays.fill(f, Float.NaN);
        } else if (a instanceof double[] d) {
            Arrays.fill(d, Double.NaN);
        } else if (a instanceof int[] i) {
            Arrays.fill(i, 0x5A5A5A5A);
        } else if (a instanceof long[] l) {
            Arrays.fill(l, 0x5A5A5A5A5A5A5A5AL);
        } else if (a instanceof short[] s) {
            Arrays.fill(s, (short) 0x7FFF); // NaN in F16 and BF16
        } else {
            Arrays.fill((byte[]) a, (byte) 0x5A);
        }
    }

    private Object takeDirty(DType dtype, int length) {
        if (length < MIN_LENGTH) {
            return null;
        }
        synchronized (this) {
            dropCleared();
            dropIdle();
            ArrayDeque<Kept> q = free.get(key(typeIndex(dtype), length));
            for (Kept k = q == null ? null : q.pollFirst(); k != null; k = q.pollFirst()) {
                byAge.remove(k);
                heldBytes -= k.uncount();
                Object a = k.get();
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    /**
     * Counts one give or take and drops the arrays kept for {@link #IDLE_SECONDS} and {@link #IDLE_OPERATIONS} or more
     * (only while holding the lock); returns the time now.
     */
    private long dropIdle() {
        operations++;
        long now = nanoClock.getAsLong();
        long idle = now - TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
        for (Iterator<Kept> oldest = byAge.iterator(); oldest.hasNext(); ) {
            Kept k = oldest.next();
            if (k.givenAt - idle > 0 || operations - k.givenOperation < IDLE_OPERATIONS) {
                break;
            }
            oldest.remove();
            free.get(k.key).remove(k);
            heldBytes -= k.uncount();
            k.clear();
        }
        return now;
    }

    /** Forgets the arrays the garbage collector took back (only while holding the lock). */
    private void dropCleared() {
        for (Object r = cleared.poll(); r != null; r = cleared.poll()) {
            Kept k = (Kept) r;
            byAge.remove(k);
            heldBytes -= k.uncount();
            ArrayDeque<Kept> q = free.get(k.key);
            if (q != null) {
                q.remove(k);
            }
        }
    }

    /**
     * Keeps {@code array} (a primitive array nothing will use again) for a later {@link #take} if it fits, after
     * dropping the idle arrays ({@link #IDLE_SECONDS}, {@link #IDLE_OPERATIONS}).
     */
    void give(Object array) {
        int length = DType.hostLength(array);
        if (length < MIN_LENGTH) {
            return;
        }
        long b = bytes(array);
        long key = key(typeIndex(array.getClass()), length);
        synchronized (this) {
            dropCleared();
            long now = dropIdle();
            if (heldBytes + b > capacityBytes) {
                return;
            }
            Kept kept = new Kept(array, key, b, now, operations, cleared);
            free.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(kept);
            byAge.add(kept);
            heldBytes += b;
        }
    }

    /** Bytes held now. */
    synchronized long heldBytes() {
        dropCleared();
        return heldBytes;
    }

    private static long key(int typeIndex, int length) {
        return ((long) typeIndex << 32) | length;
    }

    private static int typeIndex(DType dtype) {
        switch (dtype) {
            case F32: return 0;
            case F64: return 1;
            case I32: return 2;
            case I64: return 3;
            case BF16: case F16: return 4;
            default: return 5;
        }
    }

    private static int typeIndex(Class<?> type) {
        if (type == float[].class) {
            return 0;
        } else if (type == double[].class) {
            return 1;
        } else if (type == int[].class) {
            return 2;
        } else if (type == long[].class) {
            return 3;
        } else if (type == short[].class) {
            return 4;
        }
        return 5;
    }

    private static long bytes(Object a) {
        int n = DType.hostLength(a);
        switch (typeIndex(a.getClass())) {
            case 1: case 3: return 8L * n;
            case 0: case 2: return 4L * n;
            case 4: return 2L * n;
            default: return n;
        }
    }

    private static void clear(Object a) {
        if (a instanceof float[] f) {
            Arrays.fill(f, 0f);
        } else if (a instanceof double[] d) {
            Arrays.fill(d, 0.0);
        } else if (a instanceof int[] i) {
            Arrays.fill(i, 0);
        } else if (a instanceof long[] l) {
            Arrays.fill(l, 0L);
        } else if (a instanceof short[] s) {
            Arrays.fill(s, (short) 0);
        } else {
            Arrays.fill((byte[]) a, (byte) 0);
        }
    }
}
