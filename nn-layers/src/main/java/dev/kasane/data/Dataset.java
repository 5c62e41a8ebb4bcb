package dev.kasane.data;

/**
 * A map-style dataset: {@link #size()} samples, addressed by index (PyTorch's {@code torch.utils.data.Dataset}).
 *
 * <p>A {@link DataLoader} with worker threads calls {@link #get(int)} from several threads at once, so
 * implementations must allow concurrent reads (immutable in-memory data, or files opened per call, are fine).
 * The usual sample type is {@link Sample} (input, target, ...), which the default collate function stacks into a
 * {@link Batch}.
 *
 * @param <T> the sample type
 */
public interface Dataset<T> {
    /** Number of samples. */
    int size();

    /**
     * The sample at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    T get(int index);
}
