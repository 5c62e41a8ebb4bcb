package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;

/**
 * Loads strided runs of any dtype into {@code double[]} or {@code long[]} scratch buffers and stores them back
 * with the conversion rules of {@link dev.kasane.tensor.spi.Backend#copy}: float to integer truncates toward
 * zero, anything to BOOL tests {@code != 0}, U8 reads as 0..255 and integer to U8 keeps the low 8 bits.
 */
final class Convert {
    /** Length of the scratch buffers that runs are cut into. */
    static final int CHUNK = 512;

    private Convert() {
    }

    static void loadDouble(Object src, DType dt, int off, int stride, double[] buf, int n) {
        switch (dt) {
            case F32: loadF32(((float[]) src), off, stride, buf, n); break;
            case F64: loadF64(((double[]) src), off, stride, buf, n); break;
            default: throw new IllegalStateException("loadDouble: not a float dtype " + dt);
        }
    }

    private static void loadF32(float[] s, int off, int stride, double[] buf, int n) {
        if (stride == 1) {
            for (int i = 0; i < n; i++) {
                buf[i] = s[off + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                buf[i] = s[off + i * stride];
            }
        }
    }

    private static void loadF64(double[] s, int off, int stride, double[] buf, int n) {
        if (stride == 1) {
            System.arraycopy(s, off, buf, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                buf[i] = s[off + i * stride];
            }
        }
    }

    static void loadLong(Object src, DType dt, int off, int stride, long[] buf, int n) {
        switch (dt) {
            case I32: {
                int[] s = (int[]) src;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i * stride];
                    }
                }
                break;
            }
            case I64: {
                long[] s = (long[]) src;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i * stride];
                    }
                }
                break;
            }
            case U8: {
                byte[] s = (byte[]) src;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i] & 0xFF;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i * stride] & 0xFF;
                    }
                }
                break;
            }
            case BOOL: {
                byte[] s = (byte[]) src;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i] != 0 ? 1 : 0;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        buf[i] = s[off + i * stride] != 0 ? 1 : 0;
                    }
                }
                break;
            }
            default:
                throw new IllegalStateException("loadLong: not an integer dtype " + dt);
        }
    }

    static void storeDouble(double[] buf, int n, Object dst, DType dt, int off, int stride) {
        switch (dt) {
            case F32: {
                float[] d = (float[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (float) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (float) buf[i];
                    }
                }
                break;
            }
            case F64: {
                double[] d = (double[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = buf[i];
                    }
                }
                break;
            }
            case I32: {
                int[] d = (int[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (int) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (int) buf[i];
                    }
                }
                break;
            }
            case I64: {
                long[] d = (long[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (long) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (long) buf[i];
                    }
                }
                break;
            }
            case U8: {
                byte[] d = (byte[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (byte) (long) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (byte) (long) buf[i];
                    }
                }
                break;
            }
            default: {
                byte[] d = (byte[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = buf[i] != 0 ? (byte) 1 : (byte) 0;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = buf[i] != 0 ? (byte) 1 : (byte) 0;
                    }
                }
                break;
            }
        }
    }

    static void storeLong(long[] buf, int n, Object dst, DType dt, int off, int stride) {
        switch (dt) {
            case F32: {
                float[] d = (float[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (float) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (float) buf[i];
                    }
                }
                break;
            }
            case F64: {
                double[] d = (double[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (double) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (double) buf[i];
                    }
                }
                break;
            }
            case I32: {
                int[] d = (int[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (int) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (int) buf[i];
                    }
                }
                break;
            }
            case I64: {
                long[] d = (long[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = buf[i];
                    }
                }
                break;
            }
            case U8: {
                byte[] d = (byte[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = (byte) buf[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = (byte) buf[i];
                    }
                }
                break;
            }
            default: {
                byte[] d = (byte[]) dst;
                if (stride == 1) {
                    for (int i = 0; i < n; i++) {
                        d[off + i] = buf[i] != 0 ? (byte) 1 : (byte) 0;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        d[off + i * stride] = buf[i] != 0 ? (byte) 1 : (byte) 0;
                    }
                }
                break;
            }
        }
    }
}
