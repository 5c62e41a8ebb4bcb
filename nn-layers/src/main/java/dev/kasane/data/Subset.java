package dev.kasane.data;

import java.util.Objects;

/**
 * The samples of another dataset at given indices, in the given order (PyTorch's {@code Subset}).
 *
 * @param <T> the sample type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /**
     * A view of {@code dataset} at {@code indices} (copied).
     *
     * @throws IllegalArgumentException if an index is outside {@code [0, dataset.size())}
     */
    public Subset(Dataset<T> dataset, int... indices) {
        this.dataset = Objects.requireNonNull(dataset, "Subset: dataset");
        this.indices = indices.clone();
        int n = dataset.size();
        for (int i = 0; i < this.indices.length; i++) {
            if (this.indices[i] < 0 || this.indices[i] >= n) {
                throw new IllegalArgumentException("Subset: index " + this.indices[i] + " (position " + i
                        + ") is out of range for a dataset of size " + n);
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= indices.length) {
            throw new IndexOutOfBoundsException("Subset.get: index " + index + " out of range for size " + indices.length);
        }
        return dataset.get(indices[index]);
    }

    /** The underlying dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** The indices into the underlying dataset (a copy). */
    public int[] indices() {
        return indices.clone();
    }
}
