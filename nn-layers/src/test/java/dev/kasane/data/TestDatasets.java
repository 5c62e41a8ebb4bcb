package dev.kasane.data;

import java.util.function.IntFunction;

/** Small datasets for tests. */
public final class TestDatasets {
    private TestDatasets() {
    }

    /** A dataset of {@code size} items, item i being {@code get(i)}. */
    public static <T> Dataset<T> of(int size, IntFunction<T> get) {
        return new Dataset<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public T get(int index) {
                return get.apply(index);
            }
        };
    }

    /** A dataset whose item i is i, for i in [0, n). */
    public static Dataset<Integer> range(int n) {
        return of(n, index -> index);
    }
}
