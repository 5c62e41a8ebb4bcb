package dev.kasane.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The op enums' own properties: unique names, formulas present for every dtype an op accepts (exact: tolerance 0). */
class OpEnumsTest {

    @Test
    void everyIntegerOrBoolUnaryOpHasALongFormulaAndNoOtherHasOne() {
        for (UnaryOp op : UnaryOp.values()) {
            boolean takesLongs = op.accepts(DType.I64) || op.accepts(DType.BOOL);
            if (takesLongs) {
                assertDoesNotThrow(() -> op.applyAsLong(1L), op + ": applyAsLong must be implemented");
            } else {
                assertThrows(UnsupportedOperationException.class, () -> op.applyAsLong(1L), op.toString());
            }
        }
    }

    @Test
    void unaryFormulasAgreeBetweenDoubleAndLongOnSmallIntegers() {
        for (UnaryOp op : UnaryOp.values()) {
            if (!op.accepts(DType.I64) && !op.accepts(DType.BOOL)) {
                continue;
            }
            for (long v = -3; v <= 3; v++) {
                long x = op.accepts(DType.BOOL) ? Math.abs(v) % 2 : v;
                assertEquals((double) op.applyAsLong(x), op.applyAsDouble(x), 0.0, op + " at " + x);
            }
        }
    }

    @Test
    void unaryDomainsMatchTheDtypesTheCoreSends() {
        assertTrue(UnaryOp.NEG.accepts(DType.U8));
        assertFalse(UnaryOp.NEG.accepts(DType.BOOL));
        assertTrue(UnaryOp.NOT.accepts(DType.BOOL));
        assertFalse(UnaryOp.NOT.accepts(DType.F32));
        assertFalse(UnaryOp.EXP.accepts(DType.I32));
        assertTrue(UnaryOp.EXP.accepts(DType.F64));
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals(op.accepts(DType.I32), op.acceptsIntegers(), op.toString());
        }
    }

    @Test
    void torchNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (UnaryOp op : UnaryOp.values()) {
            assertTrue(seen.add("unary " + op.torchName()), op.toString());
        }
        for (BinaryOp op : BinaryOp.values()) {
            assertTrue(seen.add("binary " + op.torchName()), op.toString());
        }
        for (ReduceOp op : ReduceOp.values()) {
            assertTrue(seen.add("reduce " + op.torchName()), op.toString());
        }
    }

    @Test
    void stableSigmoidIsExactAtZeroAndSaturatesWithoutNaN() {
        assertEquals(0.5, UnaryOp.SIGMOID.applyAsDouble(0.0), 0.0);
        assertEquals(0.0, UnaryOp.SIGMOID.applyAsDouble(-1000.0), 0.0);
        assertEquals(1.0, UnaryOp.SIGMOID.applyAsDouble(1000.0), 0.0);
        assertTrue(Double.isNaN(UnaryOp.SIGMOID.applyAsDouble(Double.NaN)));
    }
}
