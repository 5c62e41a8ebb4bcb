package dev.kasane.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DType properties and the promotion lattice BOOL &lt; U8 &lt; I32 &lt; I64 &lt; F32 &lt; F64 (no backend needed). */
class DTypeTest {
    private static final DType[] LATTICE = {DType.BOOL, DType.U8, DType.I32, DType.I64, DType.F32, DType.F64};

    @Test
    void promoteFollowsTheLattice() {
        for (int i = 0; i < LATTICE.length; i++) {
            for (int j = 0; j < LATTICE.length; j++) {
                DType want = LATTICE[Math.max(i, j)];
                assertEquals(want, DType.promote(LATTICE[i], LATTICE[j]), LATTICE[i] + " with " + LATTICE[j]);
            }
        }
    }

    @Test
    void promoteIsSymmetricAndIdempotent() {
        for (DType a : DType.values()) {
            assertEquals(a, DType.promote(a, a));
            for (DType b : DType.values()) {
                assertEquals(DType.promote(a, b), DType.promote(b, a), a + " " + b);
                DType p = DType.promote(a, b);
                for (DType c : DType.values()) {
                    assertEquals(DType.promote(p, c), DType.promote(a, DType.promote(b, c)), "associative " + a + b + c);
                }
            }
        }
    }

    @Test
    void halfDtypesPromoteAsPyTorch() {
        assertEquals(DType.F32, DType.promote(DType.BF16, DType.F16), "bfloat16 + float16 -> float32");
        assertEquals(DType.BF16, DType.promote(DType.BF16, DType.I64));
        assertEquals(DType.F16, DType.promote(DType.U8, DType.F16));
        assertEquals(DType.F32, DType.promote(DType.BF16, DType.F32));
        assertEquals(DType.F64, DType.promote(DType.F16, DType.F64));
        for (DType t : new DType[] {DType.BF16, DType.F16}) {
            assertEquals(2, t.byteSize());
            assertTrue(t.isHalf(), t.toString());
            assertFalse(t.isFloating() || t.isInteger(), t + " is a storage dtype");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.setDefault(t));
            assertTrue(e.getMessage().contains("F32 or F64"), e.getMessage());
        }
    }

    @Test
    void spotChecks() {
        assertEquals(DType.I32, DType.promote(DType.U8, DType.I32));
        assertEquals(DType.F32, DType.promote(DType.I64, DType.F32), "as PyTorch: int64 + float32 -> float32");
        assertEquals(DType.U8, DType.promote(DType.BOOL, DType.U8));
        assertEquals(DType.F64, DType.promote(DType.F64, DType.BOOL));
    }

    @Test
    void sizesAndKinds() {
        assertEquals(4, DType.F32.byteSize());
        assertEquals(8, DType.F64.byteSize());
        assertEquals(4, DType.I32.byteSize());
        assertEquals(8, DType.I64.byteSize());
        assertEquals(1, DType.BOOL.byteSize());
        assertEquals(1, DType.U8.byteSize());
        assertTrue(DType.F32.isFloating() && DType.F64.isFloating());
        for (DType t : new DType[] {DType.I32, DType.I64, DType.U8}) {
            assertTrue(t.isInteger(), t.toString());
            assertFalse(t.isFloating(), t.toString());
        }
        assertFalse(DType.BOOL.isInteger(), "BOOL is not an integer dtype");
        assertFalse(DType.BOOL.isFloating());
        assertFalse(DType.F32.isInteger());
    }

    @Test
    void hostArrays() {
        assertArrayEquals(new float[3], (float[]) DType.F32.newHostArray(3));
        assertArrayEquals(new double[2], (double[]) DType.F64.newHostArray(2));
        assertArrayEquals(new int[1], (int[]) DType.I32.newHostArray(1));
        assertArrayEquals(new long[4], (long[]) DType.I64.newHostArray(4));
        assertArrayEquals(new byte[5], (byte[]) DType.BOOL.newHostArray(5));
        assertArrayEquals(new byte[0], (byte[]) DType.U8.newHostArray(0));
        assertEquals(7, DType.hostLength(new long[7]));
        assertEquals(DType.F32, DType.ofHostArray(new float[0]));
        assertEquals(DType.F64, DType.ofHostArray(new double[0]));
        assertEquals(DType.I32, DType.ofHostArray(new int[0]));
        assertEquals(DType.I64, DType.ofHostArray(new long[0]));
        assertEquals(DType.U8, DType.ofHostArray(new byte[0]));
        assertArrayEquals(new short[2], (short[]) DType.BF16.newHostArray(2));
        assertArrayEquals(new short[3], (short[]) DType.F16.newHostArray(3));
        assertEquals(DType.BF16, DType.ofHostArray(new short[0]));
        assertThrows(IllegalArgumentException.class, () -> DType.ofHostArray(new char[0]));
        assertThrows(IllegalArgumentException.class, () -> DType.ofHostArray(null));
    }
}
