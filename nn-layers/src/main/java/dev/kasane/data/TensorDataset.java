package dev.kasane.data;

import dev.kasane.autograd.Tensor;

/**
 * A dataset over tensors that share their first dimension: sample {@code i} holds row {@code i} of each tensor
 * (detached views, not copies). PyTorch's {@code TensorDataset}.
 *
 * <pre>{@code
 * var ds = new TensorDataset(x, y);       // x: [100, 3] F32, y: [100] I64
 * Sample s = ds.get(7);                    // s.input(): [3], s.target(): 0-d
 * }</pre>
 */
public final class TensorDataset implements Dataset<Sample> {
    private final Tensor[] tensors;

    /**
     * A dataset over the data of {@code tensors} (detached: samples do not require grad).
     *
     * @throws IllegalArgumentException if no tensors are given, one is null or 0-d, or their sizes along dimension 0
     *                                  differ
     */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset: needs at least one tensor");
        }
        BatchDim.requireShared("TensorDataset", "tensor", tensors);
        this.tensors = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            this.tensors[i] = tensors[i].detach();
        }
    }

    @Override
    public int size() {
        return tensors[0].size(0);
    }

    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset.get: index " + index + " out of range for size " + size());
        }
        Tensor[] f = new Tensor[tensors.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = tensors[i].select(0, index);
        }
        return Sample.of(f);
    }

    /**
     * The tensor that field {@code field} of the samples is read from (detached).
     *
     * @throws IndexOutOfBoundsException if there is no such field
     */
    public Tensor tensor(int field) {
        if (field < 0 || field >= tensors.length) {
            throw new IndexOutOfBoundsException("TensorDataset.tensor: field " + field + " of " + tensors.length);
        }
        return tensors[field];
    }
}
