package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Storage;

/**
 * An unpacked strided view: the primitive array, offset, shape and strides of an {@link NDArray}, read once per
 * backend call so the kernels never touch the NDArray.
 */
final class View {
    final Object data;
    final DType dtype;
    final int offset;
    final int[] shape;
    final int[] strides;
    /**
     * The storage that {@link #data} belongs to, whose version counter tells whether the array was written since an
     * earlier call ({@link WeightPacks}); null for a temporary array.
     */
    final Storage storage;

    View(Object data, DType dtype, int offset, int[] shape, int[] strides) {
        this(data, dtype, offset, shape, strides, null);
    }

    private View(Object data, DType dtype, int offset, int[] shape, int[] strides, Storage storage) {
        this.data = data;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.storage = storage;
    }

    static View of(NDArray a, String op) {
        Storage s = a.storage();
        if (!(s instanceof CpuStorage)) {
            throw new IllegalArgumentException(op + ": array of dtype " + a.dtype() + " on device " + a.device()
                    + " does not hold CPU storage (got " + (s == null ? "null" : s.getClass().getSimpleName()) + ")");
        }
        int n = a.dim();
        int[] shape = new int[n];
        int[] strides = new int[n];
        for (int d = 0; d < n; d++) {
            shape[d] = a.size(d);
            strides[d] = a.stride(d);
        }
        return new View(((CpuStorage) s).data(), s.dtype(), a.offset(), shape, strides, s);
    }

    /** A view of a whole array as a contiguous row-major tensor of the given shape. */
    static View contiguous(Object data, DType dtype, int... shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
        return new View(data, dtype, 0, shape.clone(), strides);
    }

    int rank() {
        return shape.length;
    }

    int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    boolean isContiguous() {
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != s) {
                return false;
            }
            s *= shape[d];
        }
        return true;
    }

    View withOffset(int newOffset) {
        return new View(data, dtype, newOffset, shape, strides, storage);
    }

    View withStrides(int[] newStrides) {
        return new View(data, dtype, offset, shape, newStrides, storage);
    }
}
