package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.spi.BinaryOp;
import org.junit.jupiter.api.Test;

/** The user-facing Function API: forward/backward, saveForBackward, needsInputGrad. */
class FunctionApiTest {
    /** The Javadoc example: SiLU with a hand-written backward. */
    static final class Silu extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0];
            saveForBackward(x);
            return x.mul(x.sigmoid());
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = savedTensors()[0];
            Tensor s = x.sigmoid();
            return new Tensor[] {grad.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
        }
    }

    /** a * b with a record of which input gradients were asked for. */
    static final class RecordingMul extends Function {
        boolean[] forwardNeeds = new boolean[2];
        boolean[] backwardNeeds = new boolean[2];

        @Override
        protected Tensor forward(Tensor... in) {
            forwardNeeds[0] = needsInputGrad(0);
            forwardNeeds[1] = needsInputGrad(1);
            saveForBackward(in[0], in[1]);
            return Tensor.of(in[0].data().binary(BinaryOp.MUL, in[1].data()));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor[] s = savedTensors();
            backwardNeeds[0] = needsInputGrad(0);
            backwardNeeds[1] = needsInputGrad(1);
            return new Tensor[] {needsInputGrad(0) ? g.mul(s[1]) : null, needsInputGrad(1) ? g.mul(s[0]) : null};
        }
    }

    @Test
    void customFunctionPassesGradCheckFirstAndSecondOrder() {
        Tensor x = randn(3, 4);
        assertTrue(GradCheck.check(in -> new Silu().apply(in[0]), x));
        assertTrue(GradCheck.checkSecondOrder(in -> new Silu().apply(in[0]), x));
    }

    @Test
    void forwardRecordsNoGraphAndOutputGetsTheFunctionAsGradFn() {
        Tensor x = randn(2);
        Silu f = new Silu();
        Tensor y = f.apply(x);
        assertTrue(y.requiresGrad());
        assertTrue(y.gradFn() == f);
        assertThrows(IllegalStateException.class, () -> f.apply(x), "an instance is applied once");
    }

    @Test
    void needsInputGradReflectsWhichInputsRequireGrad() {
        Tensor a = randn(3);
        Tensor b = Tensor.of(a.data().copy());
        RecordingMul f = new RecordingMul();
        f.apply(a, b).sum().backward();
        assertArrayEquals(new boolean[] {true, false}, f.forwardNeeds);
        assertArrayEquals(new boolean[] {true, false}, f.backwardNeeds);
        assertArrayEquals(b.toDoubleArray(), a.grad().toDoubleArray(), 0);
        assertNull(b.grad());
    }

    @Test
    void autogradGradPrunesUnneededInputs() {
        Tensor a = randn(3);
        Tensor b = randn(3);
        RecordingMul f = new RecordingMul();
        Tensor y = f.apply(a, b).sum();
        Autograd.grad(y, b);
        assertArrayEquals(new boolean[] {false, true}, f.backwardNeeds);
    }

    @Test
    void noRecordingWithoutGrad() {
        Tensor a = Tensor.of(randn(3).data());
        RecordingMul f = new RecordingMul();
        Tensor y = f.apply(a, a);
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
    }

    @Test
    void wrongGradientShapeFromACustomFunctionIsReported() {
        final class Bad extends Function {
            @Override
            protected Tensor forward(Tensor... in) {
                return Tensor.of(in[0].data().copy());
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {Tensor.zeros(7)};
            }
        }
        Tensor x = randn(2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Bad().apply(x).sum().backward());
        assertTrue(e.getMessage().contains("Bad") && e.getMessage().contains("[7]") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }

    @Test
    void aNameGivenToTheConstructorNamesTheOpInErrors() {
        final class Twice extends Function {
            Twice() {
                super("twice");
            }

            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].mul(2);
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {Tensor.zeros(7)};
            }
        }
        Twice op = new Twice();
        assertEquals("twice", op.name());
        Tensor x = randn(2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.apply(x).sum().backward());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }
}
