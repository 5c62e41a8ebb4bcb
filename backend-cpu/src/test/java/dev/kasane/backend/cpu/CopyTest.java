package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.conformance.Ref;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** copy() conversion rules, strided and transposed copies, upload and download. */
class CopyTest {
    private final CpuBackend be = new CpuBackend(new Parallel(2), null, null);

    private static Object data(NDArray a) {
        return ((CpuStorage) a.storage()).data();
    }

    private NDArray convert(NDArray src, DType to) {
        NDArray dst = NDArray.fromHost(to.newHostArray(src.numel()), to, Device.CPU, src.shape());
        be.copy(src, dst);
        return dst;
    }

    @Test
    void fillConvertsLikeCopyAndWritesOnlyTheView() {
        double[] vals = {-2.7, 300.9, Double.NaN, 0.5, -1};
        for (DType t : DType.values()) {
            for (double v : vals) {
                NDArray want = convert(NDArray.fromHost(new double[] {v}, DType.F64, Device.CPU), t);
                NDArray got = NDArray.fromHost(t.newHostArray(1), t, Device.CPU);
                be.fill(got, v);
                assertEquals(want.toString(), got.toString(), "fill(" + v + ") as " + t);
            }
        }
        long big = (1L << 53) + 1;
        NDArray l = NDArray.fromHost(new long[3], DType.I64, Device.CPU, 3);
        be.fill(l, big);
        assertArrayEquals(new long[] {big, big, big}, (long[]) data(l));
        NDArray i = NDArray.fromHost(new int[1], DType.I32, Device.CPU);
        be.fill(i, (1L << 32) + 5);
        assertArrayEquals(new int[] {5}, (int[]) data(i));
        float[] host = new float[4 * 6];
        NDArray base = NDArray.fromHost(host, DType.F32, Device.CPU, 4, 6);
        be.fill(base.narrow(1, 1, 3).slice(0, -1, Integer.MIN_VALUE, -1).transpose(0, 1), 2.0);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 6; c++) {
                assertEquals(c >= 1 && c < 4 ? 2f : 0f, host[r * 6 + c], 0f);
            }
        }
        NDArray large = NDArray.fromHost(new double[300_001], DType.F64, Device.CPU, 300_001);
        be.fill(large.narrow(0, 1, 300_000), 3.0);
        double[] ld = (double[]) data(large);
        assertEquals(0.0, ld[0], 0);
        assertEquals(3.0, ld[1], 0);
        assertEquals(3.0, ld[300_000], 0);
    }

    @Test
    void floatToIntegerTruncatesTowardZeroAndIntegerToU8KeepsLowBits() {
        NDArray f = NDArray.fromHost(new float[] {-2.7f, -0.5f, 0f, 0.5f, 2.7f, 300.9f, Float.NaN}, DType.F32, Device.CPU, 7);
        assertArrayEquals(new int[] {-2, 0, 0, 0, 2, 300, 0}, (int[]) data(convert(f, DType.I32)));
        assertArrayEquals(new long[] {-2, 0, 0, 0, 2, 300, 0}, (long[]) data(convert(f, DType.I64)));
        assertArrayEquals(new byte[] {(byte) 254, 0, 0, 0, 2, 44, 0}, (byte[]) data(convert(f, DType.U8)));
        assertArrayEquals(new byte[] {1, 1, 0, 1, 1, 1, 1}, (byte[]) data(convert(f, DType.BOOL)));
        NDArray i = NDArray.fromHost(new int[] {257, -1, 255, 0}, DType.I32, Device.CPU, 4);
        assertArrayEquals(new byte[] {1, (byte) 255, (byte) 255, 0}, (byte[]) data(convert(i, DType.U8)));
        assertArrayEquals(new byte[] {1, 1, 1, 0}, (byte[]) data(convert(i, DType.BOOL)));
        NDArray l = NDArray.fromHost(new long[] {(1L << 32) + 5, -1}, DType.I64, Device.CPU, 2);
        assertArrayEquals(new int[] {5, -1}, (int[]) data(convert(l, DType.I32)));
    }

    @Test
    void boolAndU8ReadAsZeroOneAndUnsigned() {
        NDArray b = NDArray.fromHost(new byte[] {0, 1, 1}, DType.BOOL, Device.CPU, 3);
        assertArrayEquals(new float[] {0, 1, 1}, (float[]) data(convert(b, DType.F32)));
        assertArrayEquals(new long[] {0, 1, 1}, (long[]) data(convert(b, DType.I64)));
        NDArray u = NDArray.fromHost(new byte[] {(byte) 255, (byte) 128, 3}, DType.U8, Device.CPU, 3);
        assertArrayEquals(new int[] {255, 128, 3}, (int[]) data(convert(u, DType.I32)));
        assertArrayEquals(new double[] {255, 128, 3}, (double[]) data(convert(u, DType.F64)));
        NDArray d = NDArray.fromHost(new double[] {0.1, 1e300}, DType.F64, Device.CPU, 2);
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, (float[]) data(convert(d, DType.F32)));
    }

    @Test
    void stridedTransposedAndConvertingCopiesOnRandomLayouts() {
        Random r = new Random(12);
        DType[] types = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8, DType.BOOL};
        int[][] shapes = {{}, {0, 4}, {5}, {3, 4}, {40, 70}, {3, 50, 33}, {2, 3, 4, 5}, {300, 257}};
        for (DType from : types) {
            for (DType to : types) {
                for (int[] shape : shapes) {
                    NDArray src = TestViews.randomView(r, from, shape, false);
                    NDArray dst = TestViews.randomDst(r, to, shape);
                    be.copy(src, dst);
                    for (int[] idx : TestViews.indices(shape)) {
                        double v = TestViews.get(src, idx);
                        double want = Ref.cast(from.isFloating() && !to.isFloating() && to != DType.BOOL ? (long) v : v, to);
                        assertEquals(want, TestViews.get(dst, idx), 0.0, from + " -> " + to + " " + java.util.Arrays.toString(shape));
                    }
                }
            }
        }
        // the blocked transposition path: contiguous destination, transposed source
        float[] host = new float[300 * 257];
        for (int k = 0; k < host.length; k++) {
            host[k] = k;
        }
        NDArray t = NDArray.fromHost(host, DType.F32, Device.CPU, 257, 300).asStrided(new int[] {300, 257}, new int[] {1, 300}, 0);
        NDArray out = NDArray.fromHost(new float[300 * 257], DType.F32, Device.CPU, 300, 257);
        be.copy(t, out);
        float[] o = (float[]) data(out);
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 257; j++) {
                assertEquals(j * 300 + i, o[i * 257 + j], 0f);
            }
        }
    }

    @Test
    void uploadKeepsTheHandedOverArrayAndDownloadIsRowMajor() {
        float[] host = {1, 2, 3, 4, 5, 6};
        NDArray a = NDArray.fromHost(host, DType.F32, Device.CPU, 2, 3);
        assertSame(host, data(a), "upload is zero-copy: the caller hands the array over");
        float[] mine = {1, 2, 3, 4, 5, 6};
        NDArray copied = NDArray.of(mine, 2, 3);
        mine[0] = 99;
        assertEquals(1f, copied.toFloatArray()[0], "NDArray.of copies before handing over");
        NDArray t = a.asStrided(new int[] {3, 2}, new int[] {1, 3}, 0);
        float[] out = new float[6];
        be.download(t, out);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out);
        assertThrows(IllegalArgumentException.class, () -> be.download(t, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> be.download(t, new double[6]));
        assertThrows(IllegalArgumentException.class, () -> be.upload(Device.CPU, DType.F32, new int[2]));
    }
}
