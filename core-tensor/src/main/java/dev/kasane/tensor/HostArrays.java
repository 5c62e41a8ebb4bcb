package dev.kasane.tensor;

/**
 * Conversions between {@link NDArray}s and Java arrays on the host: the checks of {@link NDArray#fromHost} and the
 * {@code to*Array} readers, which download an array in its own host type and widen or narrow it here.
 */
final class HostArrays {
    private HostArrays() {
    }

    /** {@code shape}, or {@code [n]} when it is empty (the default shape of {@code NDArray.of}). */
    static int[] shapeOr(int n, int[] shape) {
        return shape.length == 0 ? new int[] {n} : shape;
    }

    /** BOOL storage for {@code data}: 1 for true, 0 for false. */
    static byte[] bytes(boolean[] data) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (data[i] ? 1 : 0);
        }
        return b;
    }

    /** {@link NDArray#fromHost}: checks that {@code hostArray} holds {@code dtype} data and has {@code shape}'s size. */
    static void checkFromHost(Object hostArray, DType dtype, int[] shape) {
        DType hostType = DType.ofHostArray(hostArray);
        boolean match = hostType == dtype || (hostType == DType.U8 && dtype == DType.BOOL)
                || (hostType == DType.BF16 && dtype == DType.F16);
        if (!match) {
            throw new IllegalArgumentException("fromHost: a " + hostArray.getClass().getSimpleName() + " cannot hold " + dtype
                    + " data");
        }
        int n = Shapes.numel("fromHost", shape);
        if (n != DType.hostLength(hostArray)) {
            throw new IllegalArgumentException("fromHost: shape " + Shapes.str(shape) + " needs " + n + " elements, data has "
                    + DType.hostLength(hostArray));
        }
    }

    /** {@link NDArray#toFloatArray}: BF16 and F16 widen exactly. */
    static float[] toFloatArray(NDArray a) {
        if (a.dtype() == DType.F32 || a.dtype().isHalf()) {
            return (float[]) a.toType(DType.F32).toHostArray();
        }
        double[] d = toDoubleArray(a);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** {@link NDArray#toDoubleArray}: every host type widened exactly as a Java cast does, U8 read as 0..255. */
    static double[] toDoubleArray(NDArray a) {
        Object h = (a.dtype().isHalf() ? a.toType(DType.F32) : a).toHostArray();
        if (h instanceof double[]) {
            return (double[]) h;
        }
        double[] d = new double[DType.hostLength(h)];
        if (h instanceof float[]) {
            float[] f = (float[]) h;
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i];
            }
        } else if (h instanceof int[]) {
            int[] v = (int[]) h;
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        } else if (h instanceof long[]) {
            long[] v = (long[]) h;
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i];
            }
        } else {
            byte[] v = (byte[]) h;
            for (int i = 0; i < d.length; i++) {
                d[i] = v[i] & 0xFF;
            }
        }
        return d;
    }

    /** {@link NDArray#toLongArray}: floats truncate toward zero; other integer types convert on the device. */
    static long[] toLongArray(NDArray a) {
        if (a.dtype() == DType.I64) {
            return (long[]) a.toHostArray();
        }
        if (a.dtype().isFloating() || a.dtype().isHalf()) {
            double[] d = toDoubleArray(a);
            long[] l = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                l[i] = (long) d[i];
            }
            return l;
        }
        return (long[]) a.toType(DType.I64).toHostArray();
    }

    /** {@link NDArray#toIntArray}: the longs of {@link #toLongArray} narrowed. */
    static int[] toIntArray(NDArray a) {
        long[] l = toLongArray(a);
        int[] r = new int[l.length];
        int i = 0;
        for (long v : l) {
            r[i++] = (int) v;
        }
        return r;
    }

    /** {@link NDArray#toBooleanArray}: {@code != 0}, through a BOOL conversion on the device. */
    static boolean[] toBooleanArray(NDArray a) {
        byte[] b = (byte[]) a.toType(DType.BOOL).toHostArray();
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] != 0;
        }
        return r;
    }
}
