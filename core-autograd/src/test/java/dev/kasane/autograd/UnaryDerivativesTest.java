package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * The derivative table of unary ops: every entry passes first- and second-order gradchecks (GradCheck's default
 * tolerances, F64) on inputs in [0.5, 1.5], inside every op's domain and away from the kinks at 0, so an entry added
 * to the table is checked without touching this test.
 */
class UnaryDerivativesTest {
    @Test
    void everyEntryPassesFirstAndSecondOrderGradCheck() {
        assertFalse(UnaryDerivatives.ops().isEmpty());
        for (UnaryOp op : UnaryDerivatives.ops()) {
            Tensor x = uniform(0.5, 1.5, 3, 4);
            assertTrue(GradCheck.check(in -> new ElementwiseOps.Unary(op).apply(in[0]), x), op + " first order");
            assertTrue(GradCheck.checkSecondOrder(in -> new ElementwiseOps.Unary(op).apply(in[0]), x), op + " second order");
        }
    }

    @Test
    void theTableCoversTheUserFacingOps() {
        assertEquals(15, UnaryDerivatives.ops().size(), "neg abs exp log log1p sqrt rsqrt reciprocal square sin cos tanh "
                + "sigmoid relu erf");
        assertEquals("Log1p", new ElementwiseOps.Unary(UnaryOp.LOG1P).name());
    }

    @Test
    void aNonDifferentiableOpIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnaryDerivatives.of(UnaryOp.FLOOR));
        assertTrue(e.getMessage().contains("FLOOR") && e.getMessage().contains("no derivative"), e.getMessage());
    }
}
