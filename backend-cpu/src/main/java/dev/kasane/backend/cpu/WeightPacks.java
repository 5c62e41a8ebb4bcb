package dev.kasane.backend.cpu;

import dev.kasane.tensor.spi.Storage;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The packed GEMM operands that a forward convolution makes from its weight, kept between calls while the weight is
 * unchanged, so that inference packs each layer's weights once instead of on every call (batch-1 ResNet-50 re-packed,
 * and allocated, 100 MB per image: a quarter of its latency).
 *
 * <p>An entry belongs to the weight's {@link Storage} (held weakly: it goes when the storage goes), is keyed by what
 * was packed from it (a record of the layout and kernel) and is valid for one value of the storage's
 * {@linkplain Storage#version() version counter}, which every in-place write bumps (optimizer steps, copies, state-dict
 * loads), so a changed weight is never served stale. A packing is kept from the second time it is asked for at the
 * same version: training, whose optimizer writes the weights between forward passes, keeps nothing and packs per call
 * (into memory it gives back after the call, {@link Lease}); a model in eval mode keeps one packed copy of each weight it uses (about as much memory as the weights).
 * Entries are held softly, so the JVM takes them back before it would run out of memory; arrays without a storage
 * (temporaries such as a dense copy of a strided weight) are packed per call.
 */
final class WeightPacks {
    /** Packings kept per storage (views of one storage at several offsets); more clear the storage's entries. */
    private static final int MAX_PER_STORAGE = 8;
    private static final Map<Storage, Map<Object, Entry>> ENTRIES = new WeakHashMap<>();

    /** A packing seen at {@code version}; {@code packed} is null until it is asked for a second time. */
    private record Entry(int version, SoftReference<Object> packed) {
    }

    private WeightPacks() {
    }

    /**
     * A packing in use: {@link #close} gives a packing made for this call alone back ({@code release}); a kept one,
     * which other calls may be using, stays.
     */
    static final class Lease<T> implements AutoCloseable {
        private final T value;
        private final Consumer<? super T> release;

        private Lease(T value, Consumer<? super T> release) {
            this.value = value;
            this.release = release;
        }

        T value() {
            return value;
        }

        @Override
        public void close() {
            if (release != null) {
                release.accept(value);
            }
        }
    }

    /**
     * The packing {@code layout} of {@code weight}: the kept one when {@code weight}'s storage has not been written since
     * it was made, else {@code pack}'s result (kept if this is the second request at this version; else released by
     * the lease's {@link Lease#close}, so that training, which packs on every call, reuses the memory).
     *
     * @param layout what {@code pack} makes from the weight (an equality-comparable record: kernel, offsets, sizes);
     *        equal layouts of one storage must make equal packings
     * @param release gives a packing's memory back
     */
    @SuppressWarnings("unchecked")
    static <T> Lease<T> lease(View weight, Object layout, Supplier<T> pack, Consumer<? super T> release) {
        Storage st = weight.storage;
        if (st == null) {
            return new Lease<>(pack.get(), release);
        }
        int version = st.version();
        Entry e;
        synchronized (ENTRIES) {
            Map<Object, Entry> kept = ENTRIES.get(st);
            e = kept == null ? null : kept.get(layout);
        }
        boolean seen = e != null && e.version == version;
        Object packed = seen && e.packed != null ? e.packed.get() : null;
        if (packed != null) {
            return new Lease<>((T) packed, null);
        }
        T p = pack.get();
        synchronized (ENTRIES) {
            Map<Object, Entry> kept = ENTRIES.computeIfAbsent(st, s -> new HashMap<>());
            if (!kept.containsKey(layout) && kept.size() >= MAX_PER_STORAGE) {
                kept.clear();
            }
            kept.put(layout, new Entry(version, seen ? new SoftReference<>(p) : null));
        }
        return new Lease<>(p, seen ? null : release);
    }

    /** Packings of {@code storage} kept now (for tests). */
    static int keptFor(Storage storage) {
        synchronized (ENTRIES) {
            Map<Object, Entry> kept = ENTRIES.get(storage);
            int n = 0;
            for (Entry e : kept == null ? Map.<Object, Entry>of().values() : kept.values()) {
                n += e.packed != null && e.packed.get() != null ? 1 : 0;
            }
            return n;
        }
    }
}
