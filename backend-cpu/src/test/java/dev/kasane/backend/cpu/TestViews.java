package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.Random;

/** Test helpers: random strided views over host data and element access by multi-index. */
final class TestViews {
    private TestViews() {
    }

    /** A layout: storage size, offset and strides for a shape. */
    static final class Layout {
        final int size;
        final int offset;
        final int[] strides;

        Layout(int size, int offset, int[] strides) {
            this.size = size;
            this.offset = offset;
            this.strides = strides;
        }
    }

    static Layout contiguous(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(1, shape[d]);
        }
        return new Layout(Math.max(1, s), 0, st);
    }

    /** A random layout: permuted physical order, steps of 1 or 2, flipped dims, a small leading offset. */
    static Layout random(Random r, int[] shape) {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] st = new int[rank];
        int running = 1;
        for (int p = rank - 1; p >= 0; p--) {
            int d = perm[p];
            st[d] = running * (r.nextInt(3) == 0 ? 2 : 1);
            running = st[d] * Math.max(1, shape[d]);
        }
        int lead = r.nextInt(4);
        int offset = lead;
        for (int d = 0; d < rank; d++) {
            if (r.nextBoolean() && shape[d] > 0) {
                offset += (shape[d] - 1) * st[d];
                st[d] = -st[d];
            }
        }
        return new Layout(running + lead + 1, offset, st);
    }

    /** Host data of {@code n} random values of {@code dt} (small integers for integer types). */
    static Object randomHost(Random r, DType dt, int n) {
        switch (dt) {
            case F32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 2);
                return a;
            }
            case F64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = r.nextGaussian() * 2;
                return a;
            }
            case I32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = r.nextInt(21) - 10;
                return a;
            }
            case I64: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = r.nextInt(21) - 10;
                return a;
            }
            case U8: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) r.nextInt(256);
                return a;
            }
            default: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) r.nextInt(2);
                return a;
            }
        }
    }

    /** A view with the given layout over (a copy of) {@code host}. */
    static NDArray view(Object host, DType dt, int[] shape, Layout l) {
        NDArray base = NDArray.fromHost(host, dt, Device.CPU, DType.hostLength(host));
        return base.asStrided(shape, l.strides, l.offset);
    }

    static NDArray randomView(Random r, DType dt, int[] shape, boolean contiguous) {
        Layout l = contiguous ? contiguous(shape) : random(r, shape);
        return view(randomHost(r, dt, l.size), dt, shape, l);
    }

    /** A fresh destination with a random (non-broadcast) layout, filled with garbage. */
    static NDArray randomDst(Random r, DType dt, int[] shape) {
        return randomView(r, dt, shape, r.nextBoolean());
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Storage offset of the element at {@code idx}. */
    static int at(NDArray a, int[] idx) {
        int off = a.offset();
        for (int d = 0; d < idx.length; d++) {
            off += idx[d] * a.stride(d);
        }
        return off;
    }

    /** Element as double (U8 unsigned, BOOL 0/1; integer dtypes read by {@link #getLong}). */
    static double get(NDArray a, int[] idx) {
        Object data = ((CpuStorage) a.storage()).data();
        switch (a.dtype()) {
            case F32: return ((float[]) data)[at(a, idx)];
            case F64: return ((double[]) data)[at(a, idx)];
            default: return getLong(a, idx);
        }
    }

    /** Element as long (exact for integer dtypes). */
    static long getLong(NDArray a, int[] idx) {
        Object data = ((CpuStorage) a.storage()).data();
        int o = at(a, idx);
        switch (a.dtype()) {
            case I32: return ((int[]) data)[o];
            case I64: return ((long[]) data)[o];
            case U8: return ((byte[]) data)[o] & 0xFF;
            case BOOL: return ((byte[]) data)[o];
            default: return (long) get(a, idx);
        }
    }

    /** Iterates all multi-indices of {@code shape} in row-major order. */
    static Iterable<int[]> indices(int[] shape) {
        int n = numel(shape);
        return () -> new java.util.Iterator<int[]>() {
            int k = 0;

            @Override
            public boolean hasNext() {
                return k < n;
            }

            @Override
            public int[] next() {
                int[] idx = new int[shape.length];
                int rem = k++;
                for (int d = shape.length - 1; d >= 0; d--) {
                    idx[d] = rem % shape[d];
                    rem /= shape[d];
                }
                return idx;
            }
        };
    }

    /** Snapshot of all storage contents (to check that nothing was written). */
    static Object storageCopy(NDArray a) {
        Object data = ((CpuStorage) a.storage()).data();
        int n = DType.hostLength(data);
        Object c = a.dtype().newHostArray(n);
        System.arraycopy(data, 0, c, 0, n);
        return c;
    }
}
