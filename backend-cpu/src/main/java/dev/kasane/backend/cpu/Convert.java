package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.spi.HalfFloats;

/**
 * Loads strided runs of any dtype into {@code double[]} or {@code long[]} scratch buffers and stores them back
 * with the conversion rules of {@link dev.kasane.tensor.spi.Backend#copy}: float to integer truncates toward
 * zero, anything to BOOL tests {@code != 0}, U8 reads as 0..255 and integer to U8 keeps the low 8 bits; BF16 and
 * F16 widen exactly and are rounded to nearest even from F32 ({@link HalfFloats}; an F64 or an integer goes through
 * F32 first, as PyTorch's conversions do).
 *
 * <p>One strided loop per dtype; only the F32 and F64 runs (the float reductions and conversions of training) and I64
 * (indices) keep a unit-stride form, which C2 vectorizes or which is an array copy.
 */
final class Convert {
    /** Length of the scratch buffers that runs are cut into. */
    static final int CHUNK = 512;

    private Convert() {
    }

    static void loadDouble(Object src, DType dt, int off, int stride, double[] buf, int n) {
        if (dt == DType.F64 && stride == 1) {
            System.arraycopy(src, off, buf, 0, n);
        } else if (dt == DType.F64) {
            double[] s = (double[]) src;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                buf[i] = s[j];
            }
        } else if (dt == DType.F32 && stride == 1) {
            float[] s = (float[]) src;
            for (int i = 0; i < n; i++) {
                buf[i] = s[off + i];
            }
        } else if (dt == DType.F32) {
            float[] s = (float[]) src;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                buf[i] = s[j];
            }
        } else if (dt.isHalf()) {
            short[] s = (short[]) src;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                buf[i] = HalfFloats.toF32(dt, s[j]);
            }
        } else {
            throw new IllegalStateException("loadDouble: not a float dtype " + dt);
        }
    }

    static void loadLong(Object src, DType dt, int off, int stride, long[] buf, int n) {
        if (dt == DType.I64 && stride == 1) {
            System.arraycopy(src, off, buf, 0, n);
            return;
        }
        switch (dt) {
            case I64 -> {
                long[] s = (long[]) src;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    buf[i] = s[j];
                }
            }
            case I32 -> {
                int[] s = (int[]) src;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    buf[i] = s[j];
                }
            }
            case U8 -> {
                byte[] s = (byte[]) src;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    buf[i] = s[j] & 0xFF;
                }
            }
            case BOOL -> {
                byte[] s = (byte[]) src;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    buf[i] = s[j] != 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalStateException("loadLong: not an integer dtype " + dt);
        }
    }

    static void storeDouble(double[] buf, int n, Object dst, DType dt, int off, int stride) {
        if (dt == DType.F64 && stride == 1) {
            System.arraycopy(buf, 0, dst, off, n);
        } else if (dt == DType.F64) {
            double[] d = (double[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = buf[i];
            }
        } else if (dt == DType.F32 && stride == 1) {
            float[] d = (float[]) dst;
            for (int i = 0; i < n; i++) {
                d[off + i] = (float) buf[i];
            }
        } else if (dt == DType.F32) {
            float[] d = (float[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = (float) buf[i];
            }
        } else if (dt == DType.I32) {
            int[] d = (int[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = (int) buf[i];
            }
        } else if (dt == DType.BOOL) {
            byte[] d = (byte[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = buf[i] != 0 ? (byte) 1 : (byte) 0;
            }
        } else if (dt == DType.I64) {
            long[] d = (long[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = (long) buf[i];
            }
        } else if (dt.isHalf()) {
            storeHalf(dt, (short[]) dst, off, stride, n, i -> (float) buf[i]);
        } else {
            byte[] d = (byte[]) dst;
            for (int i = 0, j = off; i < n; i++, j += stride) {
                d[j] = (byte) (long) buf[i];
            }
        }
    }

    static void storeLong(long[] buf, int n, Object dst, DType dt, int off, int stride) {
        if (dt == DType.I64 && stride == 1) {
            System.arraycopy(buf, 0, dst, off, n);
            return;
        }
        switch (dt) {
            case I64 -> {
                long[] d = (long[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = buf[i];
                }
            }
            case I32 -> {
                int[] d = (int[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = (int) buf[i];
                }
            }
            case U8 -> {
                byte[] d = (byte[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = (byte) buf[i];
                }
            }
            case BOOL -> {
                byte[] d = (byte[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = buf[i] != 0 ? (byte) 1 : (byte) 0;
                }
            }
            case F32 -> {
                float[] d = (float[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = (float) buf[i];
                }
            }
            case BF16, F16 -> storeHalf(dt, (short[]) dst, off, stride, n, i -> (float) buf[i]);
            default -> {
                double[] d = (double[]) dst;
                for (int i = 0, j = off; i < n; i++, j += stride) {
                    d[j] = (double) buf[i];
                }
            }
        }
    }

    /** F32 to BF16/F16 or back, one loop without a scratch buffer: the conversions of autocast's rounding. */
    static void halfF32(Object src, DType sdt, int so, int ss, Object dst, DType ddt, int dof, int ds, int n) {
        if (sdt == DType.F32) {
            float[] s = (float[]) src;
            storeHalf(ddt, (short[]) dst, dof, ds, n, i -> s[so + i * ss]);
            return;
        }
        short[] s = (short[]) src;
        float[] d = (float[]) dst;
        for (int i = 0, j = so, k = dof; i < n; i++, j += ss, k += ds) {
            d[k] = HalfFloats.toF32(sdt, s[j]);
        }
    }

    /** Element {@code i} of a scratch buffer, as the float it is rounded from. */
    private interface FloatSource {
        float get(int i);
    }

    private static void storeHalf(DType dt, short[] d, int off, int stride, int n, FloatSource src) {
        for (int i = 0, j = off; i < n; i++, j += stride) {
            d[j] = HalfFloats.fromF32(dt, src.get(i));
        }
    }
}
