package dev.kasane.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * The user ops of Tensor that are not differentiable or only differentiable through gather: sort, argsort, topk,
 * any/all, isClose/allClose, clone, setData, the default dtype. Expected values are worked out by hand from
 * PyTorch 1.13's documented semantics (stable sort, NaN largest, -0.0 == 0.0); comparisons are exact unless a
 * tolerance is stated.
 */
class TensorQueryOpsTest {
    private static final double NAN = Double.NaN;

    @Test
    void argsortIsStableWithNanLargestAndSignedZerosEqual() {
        Tensor x = Tensor.of(new double[] {3, NAN, -0.0, 1, 0.0, 3, -1}, 7);
        assertArrayEquals(new long[] {6, 2, 4, 3, 0, 5, 1}, x.argsort(0, false).toLongArray());
        // descending keeps equal keys in input order too, and puts NaN first
        assertArrayEquals(new long[] {1, 0, 5, 3, 2, 4, 6}, x.argsort(0, true).toLongArray());
    }

    @Test
    void sortAlongEachDimOfAMatrix() {
        Tensor x = Tensor.of(new float[] {5, 1, 4, 2, 8, 0}, 2, 3);
        ValuesIndices rows = x.sort(1, false);
        assertArrayEquals(new float[] {1, 4, 5, 0, 2, 8}, rows.values().toFloatArray());
        assertArrayEquals(new long[] {1, 2, 0, 2, 0, 1}, rows.indices().toLongArray());
        ValuesIndices cols = x.sort(0, true);
        assertArrayEquals(new float[] {5, 8, 4, 2, 1, 0}, cols.values().toFloatArray());
        assertArrayEquals(new long[] {0, 1, 0, 1, 0, 1}, cols.indices().toLongArray());
        assertEquals(DType.I64, cols.indices().dtype());
        assertTrue(cols.indices().isContiguous());
        ValuesIndices last = x.transpose(0, 1).sort(-1, false);
        assertArrayEquals(new int[] {3, 2}, last.values().shape());
        assertArrayEquals(new float[] {2, 5, 1, 8, 0, 4}, last.values().toFloatArray());
    }

    @Test
    void sortsIntegersExactlyAndBooleans() {
        Tensor big = Tensor.of(new long[] {(1L << 60) + 1, 1L << 60, -3}, 3);
        assertArrayEquals(new long[] {2, 1, 0}, big.argsort(0, false).toLongArray());
        assertArrayEquals(new long[] {-3, 1L << 60, (1L << 60) + 1}, big.sort(0, false).values().toLongArray());
        Tensor b = Tensor.of(new boolean[] {true, false, true, false}, 4);
        assertArrayEquals(new long[] {1, 3, 0, 2}, b.argsort(0, false).toLongArray());
    }

    @Test
    void topkLargestAndSmallestWithTies() {
        Tensor x = Tensor.of(new double[] {1, 7, 3, 7, -2, 0}, 2, 3);
        ValuesIndices top = x.topk(2, 1, true);
        assertArrayEquals(new double[] {7, 3, 7, 0}, top.values().toDoubleArray());
        assertArrayEquals(new long[] {1, 2, 0, 2}, top.indices().toLongArray());
        ValuesIndices low = x.reshape(-1).topk(3, 0, false);
        assertArrayEquals(new double[] {-2, 0, 1}, low.values().toDoubleArray());
        ValuesIndices ties = Tensor.of(new double[] {2, 5, 5, 5}, 4).topk(2, 0, true);
        assertArrayEquals(new long[] {1, 2}, ties.indices().toLongArray());
        assertArrayEquals(new int[] {2, 0}, x.topk(0, 1, true).values().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.topk(4, 1, true));
        assertTrue(e.getMessage().contains("topk") && e.getMessage().contains("[2, 3] F64 cpu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.argsort(2, false));
    }

    @Test
    void sortAndTopkValuesAreDifferentiable() {
        Generator g = new Generator(7);
        Tensor x = Tensor.normal(g, 0, 1, DType.F64, Device.CPU, 3, 5).requiresGrad(true);
        assertTrue(GradCheck.check(in -> in[0].sort(1, true).values().mul(Tensor.arange(5).toType(DType.F64)), x));
        assertTrue(GradCheck.check(in -> in[0].topk(2, 0, false).values().square(), x));
        Tensor y = Tensor.of(new double[] {3, 1, 2}, 3).requiresGrad(true);
        y.topk(1, 0, true).values().sum().backward();
        assertArrayEquals(new double[] {1, 0, 0}, y.grad().toDoubleArray());
    }

    @Test
    void anyAndAllIncludingEmptyAndNan() {
        Tensor x = Tensor.of(new double[] {0, 0, 1, NAN, 0, 2}, 2, 3);
        assertEquals(1, x.any().item());
        assertEquals(0, x.all().item());
        assertEquals(DType.BOOL, x.any().dtype());
        assertArrayEquals(new boolean[] {true, true}, x.any(1, false).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, x.all(0, false).toBooleanArray());
        assertArrayEquals(new int[] {1, 3}, x.all(0, true).shape());
        Tensor empty = Tensor.zeros(0, 4);
        assertEquals(0, empty.any().item());
        assertEquals(1, empty.all().item());
        assertArrayEquals(new boolean[] {true, true, true, true}, empty.all(0, false).toBooleanArray());
    }

    @Test
    void isCloseFollowsTorchIsclose() {
        Tensor a = Tensor.of(new double[] {1, 1e10, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, NAN, 0}, 6);
        Tensor b = Tensor.of(new double[] {1 + 1e-6, 1.00001e10, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, NAN, 1e-9}, 6);
        assertArrayEquals(new boolean[] {true, true, true, false, false, true}, a.isClose(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false, true, true}, a.isClose(b, 1e-5, 1e-8, true).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, false, false, false}, a.isClose(b, 0, 0, false).toBooleanArray());
        assertFalse(a.allClose(b));
        assertTrue(a.narrow(0, 0, 3).allClose(b.narrow(0, 0, 3)));
        // broadcasting and integers (compared in F64)
        assertTrue(Tensor.of(new long[] {3, 3}, 2).allClose(Tensor.scalar(3)));
        assertThrows(IllegalArgumentException.class, () -> a.isClose(b, -1, 0, false));
    }

    @Test
    void cloneOwnsItsStorageAndSetDataKeepsIdentity() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor c = x.clone();
        c.addInPlace(1);
        assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
        assertFalse(c.sharesStorageWith(x));

        Tensor p = Tensor.zeros(2, 2).requiresGrad(true);
        Tensor same = p.setData(Tensor.ones(DType.F64, Device.CPU, 3));
        assertSame(p, same);
        assertTrue(p.requiresGrad());
        assertEquals(DType.F64, p.dtype());
        assertArrayEquals(new int[] {3}, p.shape());
        assertThrows(IllegalArgumentException.class, () -> p.setData(Tensor.of(new long[] {1}, 1)));
        Tensor nonLeaf = p.mul(2);
        assertThrows(IllegalStateException.class, () -> nonLeaf.setData(Tensor.ones(3)));
    }

    @Test
    void defaultDtypeDrivesCreationAndIntegerPromotion() {
        assertEquals(DType.F32, DType.getDefault());
        try {
            DType.setDefault(DType.F64);
            assertEquals(DType.F64, Tensor.zeros(2).dtype());
            assertEquals(DType.F64, Tensor.randn(2).dtype());
            assertEquals(DType.F64, Tensor.scalar(1).dtype());
            assertEquals(DType.F64, Tensor.linspace(0, 1, 3).dtype());
            assertEquals(DType.F64, Tensor.arange(0.0, 1.0, 0.25).dtype());
            assertEquals(DType.F64, Tensor.of(new long[] {1, 2}, 2).div(Tensor.of(new long[] {2, 2}, 2)).dtype());
            assertEquals(DType.F64, Tensor.of(new long[] {1, 2}, 2).exp().dtype());
            assertEquals(DType.F32, Tensor.of(new float[] {1}, 1).dtype());
            // linspace in F64 keeps the digits F32 would round away
            assertEquals(0.1, Tensor.linspace(0, 1, 11).get(1), 0.0);
        } finally {
            DType.setDefault(DType.F32);
        }
        assertEquals(DType.F32, Tensor.zeros(2).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.setDefault(DType.I64));
        assertTrue(e.getMessage().contains("DType.setDefault") && e.getMessage().contains("I64"), e.getMessage());
    }

    @Test
    void hostAccessors() {
        Tensor x = Tensor.of(new long[] {1L << 55, -2, 3, 4}, 2, 2);
        assertEquals((1L << 55), x.getLong(0, 0));
        assertEquals(-2, x.get(0, 1));
        assertEquals(4, x.get(-1, -1));
        assertEquals(1L << 55, x.reshape(-1).narrow(0, 0, 1).itemLong());
        assertArrayEquals(new int[] {1, -2, 3, 4}, Tensor.of(new long[] {1, -2, 3, 4}, 4).toIntArray());
        assertArrayEquals(new int[] {1, 2}, x.t().strides());
        assertEquals("[2, 2] I64 cpu", x.describe());
    }

    @Test
    void fromHostCopiesAndValidatesAndScalarLongIsExact() {
        float[] v = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.fromHost(v, DType.F32, Device.CPU, 2, 3);
        v[0] = 99;
        assertEquals(1, t.get(0, 0), 0.0, "the host array is copied");
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(DType.U8, Tensor.fromHost(new byte[] {(byte) 200}, DType.U8, Device.CPU, 1).dtype());
        assertEquals(200, Tensor.fromHost(new byte[] {(byte) 200}, DType.U8, Device.CPU, 1).get(0), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.fromHost(new float[] {1, 2}, DType.F64, Device.CPU, 2));
        assertTrue(e.getMessage().contains("fromHost") && e.getMessage().contains("F64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromHost(new float[] {1, 2}, DType.F32, Device.CPU, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromHost("x", DType.F32, Device.CPU, 1));
        Tensor big = Tensor.scalar((1L << 60) + 1, Device.CPU);
        assertEquals(DType.I64, big.dtype());
        assertEquals(0, big.dim());
        assertEquals((1L << 60) + 1, big.itemLong());
    }
}
