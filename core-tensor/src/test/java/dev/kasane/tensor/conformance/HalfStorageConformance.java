package dev.kasane.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.HalfFloats;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The storage dtypes BF16 and F16 on the device: creation, conversions both ways (bit-exact against {@link HalfFloats},
 * tolerance 0), strided copies and views, host transfers, and the error every computing op raises.
 */
public abstract class HalfStorageConformance extends ConformanceBase {
    protected static final DType[] HALVES = {DType.BF16, DType.F16};
    private static final float[] SPECIALS = {0f, -0f, 1f, -2.5f, 65504f, 65520f, 1e-7f, 6.1e-5f, 3.0e38f, 1e-40f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.1f, 1f / 3};

    private static short narrow(DType t, float v) {
        return t == DType.BF16 ? HalfFloats.f32ToBf16(v) : HalfFloats.f32ToF16(v);
    }

    private static float widen(DType t, short h) {
        return t == DType.BF16 ? HalfFloats.bf16ToF32(h) : HalfFloats.f16ToF32(h);
    }

    private static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        return v;
    }

    @Test
    void f32ConvertsBothWaysBitExactOnContiguousAndStridedArrays() {
        float[] v = randomFloats(70_001, 1); // above the parallel grain
        System.arraycopy(SPECIALS, 0, v, 0, SPECIALS.length);
        NDArray f = NDArray.of(v, 70_001).to(device());
        for (DType t : HALVES) {
            NDArray h = f.toType(t);
            assertEquals(t, h.dtype());
            short[] bits = (short[]) h.toHostArray();
            float[] back = h.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(narrow(t, v[i]), bits[i], t + " element " + i + " = " + v[i]);
                assertEquals(Float.floatToIntBits(widen(t, bits[i])), Float.floatToIntBits(back[i]), t + " widen " + i);
            }
            // strided: every other element of a transposed view, both directions
            NDArray m = f.narrow(0, 0, 70_000).reshape(350, 200).transpose(0, 1).slice(0, 0, 200, 2);
            NDArray hm = m.toType(t);
            assertArrayEquals(hm.toFloatArray(), m.contiguous().toType(t).toFloatArray());
            float[] viaHalfView = h.narrow(0, 0, 70_000).reshape(350, 200).transpose(0, 1).slice(0, 0, 200, 2)
                    .toType(DType.F32).toFloatArray();
            assertArrayEquals(hm.toFloatArray(), viaHalfView);
        }
    }

    @Test
    void otherDtypesConvertThroughF32() {
        double[] d = {0.1, -3.75, 1e300, -1e-300, 65519.99, Double.NaN};
        long[] l = {-300, 0, 7, 16_777_217, 5_000_000_000L};
        for (DType t : HALVES) {
            NDArray fromD = NDArray.of(d).to(device()).toType(t);
            NDArray fromL = NDArray.of(l).to(device()).toType(t);
            for (int i = 0; i < d.length; i++) {
                assertEquals(narrow(t, (float) d[i]), ((short[]) fromD.toHostArray())[i], t + " from F64 " + d[i]);
            }
            for (int i = 0; i < l.length; i++) {
                assertEquals(narrow(t, (float) l[i]), ((short[]) fromL.toHostArray())[i], t + " from I64 " + l[i]);
            }
            NDArray h = NDArray.of(new float[] {-2.75f, 0.5f, 30.5f, 1f}).to(device()).toType(t);
            assertArrayEquals(new long[] {-2, 0, 30, 1}, h.toType(DType.I64).toLongArray(), "truncates toward zero");
            assertArrayEquals(new long[] {-2, 0, 30, 1}, h.toLongArray());
            assertArrayEquals(new boolean[] {true, true, true, true}, h.toBooleanArray());
            assertArrayEquals(new double[] {-2.75, 0.5, 30.5, 1}, h.toType(DType.F64).toDoubleArray(), 0.0);
            assertEquals(30.5, h.get(2), 0.0);
        }
        NDArray third = NDArray.of(new float[] {1f / 3}).to(device()).toType(DType.BF16);
        float viaF16 = third.toType(DType.F16).toFloatArray()[0];
        assertEquals(HalfFloats.f16ToF32(HalfFloats.f32ToF16(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(1f / 3)))), viaF16, 0f,
                "BF16 -> F16 widens then rounds");
    }

    @Test
    void creationFillHostArraysAndViews() {
        for (DType t : HALVES) {
            assertArrayEquals(new float[] {0, 0}, NDArray.zeros(t, device(), 2).toFloatArray(), 0f);
            assertArrayEquals(new float[] {1, 1, 1}, NDArray.ones(t, device(), 3).toFloatArray(), 0f);
            NDArray full = NDArray.full(0.1, t, device(), 2, 3);
            assertEquals(narrow(t, 0.1f), ((short[]) full.toHostArray())[5]);
            short[] bits = {narrow(t, 1.5f), narrow(t, -2f), narrow(t, 3f), narrow(t, 4f), narrow(t, 5f), narrow(t, 6f)};
            NDArray a = NDArray.fromHost(bits.clone(), t, device(), 2, 3);
            assertArrayEquals(new float[] {1.5f, 4f, -2f, 5f, 3f, 6f}, a.transpose(0, 1).contiguous().toFloatArray(), 0f);
            assertArrayEquals(new float[] {6f, 5f, 4f}, a.select(0, 1).flip(0).toFloatArray(), 0f);
            NDArray cat = NDArray.cat(List.of(a, a.slice(0, 1, 2)), 0);
            assertEquals(t, cat.dtype());
            assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f, 4f, 5f, 6f}, cat.toFloatArray(), 0f);
            NDArray target = NDArray.zeros(t, device(), 2, 3);
            target.select(1, 2).copyFrom(NDArray.of(new float[] {7.25f, 8.5f}).to(device()));
            assertArrayEquals(new float[] {0, 0, 7.25f, 0, 0, 8.5f}, target.toFloatArray(), 0f);
            target.fillInPlace(-1);
            assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1}, target.toFloatArray(), 0f);
            assertTrue(a.toString().contains("dtype=" + t), a.toString());
            assertTrue(a.toString().contains("1.5000"), a.toString());
            assertEquals(1.5, a.get(0, 0), 0.0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.fromHost(new short[3], DType.F32, device(), 3));
        assertTrue(e.getMessage().contains("short[]"), e.getMessage());
    }

    @Test
    void whereAndMaskedFillMoveHalfValues() {
        for (DType t : HALVES) {
            NDArray a = NDArray.of(new float[] {1.5f, -2f, 3f}).to(device()).toType(t);
            NDArray b = NDArray.zeros(t, device(), 3);
            NDArray c = NDArray.of(new boolean[] {true, false, true}).to(device());
            NDArray w = NDArray.where(c, a, b);
            assertEquals(t, w.dtype());
            assertArrayEquals(new float[] {1.5f, 0f, 3f}, w.toFloatArray(), 0f);
            assertArrayEquals(new float[] {0.25f, -2f, 0.25f}, a.maskedFill(c, 0.25).toFloatArray(), 0f);
        }
    }

    @Test
    void everyComputingOpRefusesHalvesNamingOpDtypeAndDevice() {
        for (DType t : HALVES) {
            NDArray a = NDArray.ones(t, device(), 2, 2);
            NDArray f = NDArray.ones(DType.F32, device(), 2, 2);
            List<Function<NDArray, NDArray>> ops = List.of(
                    x -> x.binary(BinaryOp.ADD, f), x -> f.binary(BinaryOp.MUL, x), x -> x.binary(BinaryOp.ADD, 1.0),
                    x -> x.binary(BinaryOp.EQ, x), x -> x.unary(UnaryOp.EXP), x -> x.unary(UnaryOp.NEG),
                    x -> x.reduce(ReduceOp.SUM), x -> x.mean(), x -> x.matmul(x), x -> f.matmul(x), x -> x.isNaN(),
                    x -> x.clamp(0, 1), x -> x.copy().binaryInPlace(BinaryOp.ADD, f), x -> x.scatterAdd(0,
                            NDArray.of(new long[] {0, 1, 0, 1}, 2, 2).to(device()), x),
                    x -> x.reshape(1, 1, 2, 2).conv2d(x.reshape(1, 1, 2, 2), Conv2dSpec.of(1, 0, 1, 1)));
            for (int i = 0; i < ops.size(); i++) {
                int k = i;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ops.get(k).apply(a),
                        t + " op #" + i);
                assertTrue(e.getMessage().contains(t + " is a storage dtype") && e.getMessage().contains(device().toString())
                        && e.getMessage().contains("toType(DType.F32)"), e.getMessage());
            }
        }
    }
}
