package dev.kasane.data;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;

/**
 * A dataset over arrays that share their first dimension: sample {@code i} holds row {@code i} of each array (views,
 * not copies). PyTorch's {@code TensorDataset}.
 *
 * <pre>{@code
 * var ds = new TensorDataset(x, y);       // x: [100, 3] F32, y: [100] I64
 * Sample s = ds.get(7);                    // s.input(): [3], s.target(): 0-d
 * }</pre>
 */
public final class TensorDataset implements Dataset<Sample> {
    private final NDArray[] arrays;

    /**
     * A dataset over {@code arrays}.
     *
     * @throws IllegalArgumentException if no arrays are given, one is 0-d, or their sizes along dimension 0 differ
     */
    public TensorDataset(NDArray... arrays) {
        if (arrays.length == 0) {
            throw new IllegalArgumentException("TensorDataset: needs at least one array");
        }
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null) {
                throw new IllegalArgumentException("TensorDataset: array " + i + " is null");
            }
            if (arrays[i].dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: array " + i + " is 0-d (" + arrays[i].describe()
                        + "); every array needs a sample dimension 0");
            }
            if (arrays[i].size(0) != arrays[0].size(0)) {
                throw new IllegalArgumentException("TensorDataset: size mismatch along dimension 0: array 0 is "
                        + arrays[0].describe() + ", array " + i + " is " + arrays[i].describe());
            }
        }
        this.arrays = arrays.clone();
    }

    /** A dataset over the data of {@code tensors} (detached). */
    public static TensorDataset of(Tensor... tensors) {
        NDArray[] a = new NDArray[tensors.length];
        for (int i = 0; i < a.length; i++) {
            if (tensors[i] == null) {
                throw new IllegalArgumentException("TensorDataset.of: tensor " + i + " is null");
            }
            a[i] = tensors[i].data();
        }
        return new TensorDataset(a);
    }

    @Override
    public int size() {
        return arrays[0].size(0);
    }

    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset.get: index " + index + " out of range for size " + size());
        }
        NDArray[] f = new NDArray[arrays.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = arrays[i].select(0, index);
        }
        return Sample.of(f);
    }

    /** The arrays this dataset reads, in field order. */
    public NDArray array(int field) {
        return arrays[field];
    }
}
