package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.spi.Backend;
import dev.kasane.tensor.spi.Storage;

/**
 * CPU storage: one primitive Java array of the dtype's host type ({@code float[]} for F32, {@code double[]} for F64,
 * {@code int[]} for I32, {@code long[]} for I64, {@code byte[]} for BOOL and U8, {@code short[]} for BF16 and F16).
 */
public final class CpuStorage extends Storage {
    private Object data;

    /**
     * Wraps {@code data} (not copied), which must be the host array type of {@code dtype}.
     *
     * @throws IllegalArgumentException if the array type does not match the dtype
     */
    public CpuStorage(Backend backend, DType dtype, Object data) {
        super(backend, Device.CPU, dtype, lengthChecked(dtype, data));
        this.data = data;
    }

    private static int lengthChecked(DType dtype, Object data) {
        boolean ok;
        switch (dtype) {
            case F32: ok = data instanceof float[]; break;
            case F64: ok = data instanceof double[]; break;
            case I32: ok = data instanceof int[]; break;
            case I64: ok = data instanceof long[]; break;
            case BF16: case F16: ok = data instanceof short[]; break;
            default: ok = data instanceof byte[]; break;
        }
        if (!ok) {
            throw new IllegalArgumentException("cpu storage: a " + (data == null ? "null" : data.getClass().getSimpleName())
                    + " cannot hold dtype " + dtype);
        }
        return DType.hostLength(data);
    }

    /**
     * The backing array (not a copy); its class is the host type of {@link #dtype()}. A write into it outside the
     * backend's own kernels must be followed by {@link #bumpVersion()}: what the backend derives from a storage and
     * keeps (the packed weights of convolutions, {@code WeightPacks}) is valid for one version.
     *
     * @throws IllegalStateException if the storage was {@link CpuBackend#recycle recycled}
     */
    public Object data() {
        Object d = data;
        if (d == null) {
            throw new IllegalStateException("cpu storage of " + size() + " " + dtype() + " elements was recycled: its memory "
                    + "went back to the backend (a gradient that backward consumed, or an intermediate result that a library "
                    + "module's forward released), so no tensor may use it any more");
        }
        return d;
    }

    /** Hands the array over to the caller and leaves this storage unusable ({@link #data()} then throws). */
    synchronized Object detach() {
        Object d = data();
        data = null;
        return d;
    }
}
