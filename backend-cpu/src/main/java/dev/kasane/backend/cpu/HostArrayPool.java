package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Host arrays kept for reuse, the CPU backend's counterpart of PyTorch's caching allocator: arrays come back through
 * {@link CpuBackend#recycle} (autograd's consumed gradients) and from kernels' scratch buffers, and
 * {@link #take} hands out one of the same type and length before allocating a new one. Training repeats the same
 * shapes every step, so the Java heap sees far fewer large allocations, collects less often and stays smaller.
 *
 * <p>Arrays shorter than {@link #MIN_LENGTH} elements are not kept (the JVM allocates them cheaply). The pool holds
 * at most {@code kasane.cpu.poolBytes} bytes (default: a sixty-fourth of the maximum heap, at most 256 MiB; 0 turns
 * reuse off); when an array given back does not fit, the arrays given back longest ago make room for it (they are
 * left to the garbage collector), so the pool follows the shapes in use now rather than those of an earlier phase
 * (training, then evaluation at another batch size). The pool holds its arrays
 * softly, so the JVM takes them back before it would run out of memory: keeping arrays never causes an
 * {@link OutOfMemoryError}.
 */
final class HostArrayPool {
    /** Arrays shorter than this are neither kept nor looked up. */
    static final int MIN_LENGTH = 4096;

    private static final HostArrayPool SHARED = new HostArrayPool(capacityFromProperty());

    private final long capacityBytes;
    private final HashMap<Long, ArrayDeque<Kept>> free = new HashMap<>();
    /** Every kept array, in the order they were given back (oldest first). */
    private final LinkedHashSet<Kept> byAge = new LinkedHashSet<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private long heldBytes;

    /** A kept array, softly referenced; its bytes count in {@link #heldBytes} until it is taken or cleared. */
    private static final class Kept extends SoftReference<Object> {
        final long key;
        final long bytes;
        boolean counted = true;

        Kept(Object array, long key, long bytes, ReferenceQueue<Object> queue) {
            super(array, queue);
            this.key = key;
            this.bytes = bytes;
        }

        /** Stops counting this array's bytes; returns how many that frees. */
        long uncount() {
            long b = counted ? bytes : 0;
            counted = false;
            return b;
        }
    }

    HostArrayPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** The pool shared by the CPU backend and its kernels. */
    static HostArrayPool shared() {
        return SHARED;
    }

    private static long capacityFromProperty() {
        long dflt = Math.min(Runtime.getRuntime().maxMemory() / 64, 256L << 20);
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
     * writes every element before reading any.
     */
    Object takeUninitialized(DType dtype, int length) {
        Object a = takeDirty(dtype, length);
        return a != null ? a : dtype.newHostArray(length);
    }

    private Object takeDirty(DType dtype, int length) {
        if (length < MIN_LENGTH) {
            return null;
        }
        synchronized (this) {
            dropCleared();
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
     * Keeps {@code array} (a primitive array nothing will use again) for a later {@link #take}, dropping the arrays
     * kept longest ago if it does not fit otherwise; an array larger than the whole capacity is not kept.
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
            if (b > capacityBytes) {
                return;
            }
            for (Iterator<Kept> oldest = byAge.iterator(); heldBytes + b > capacityBytes; ) {
                Kept k = oldest.next();
                oldest.remove();
                free.get(k.key).remove(k);
                heldBytes -= k.uncount();
                k.clear();
            }
            Kept kept = new Kept(array, key, b, cleared);
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
