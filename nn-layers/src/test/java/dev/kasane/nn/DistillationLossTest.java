package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link F#distillationLoss} against PyTorch (fixture distillation_loss, tolerance 1e-5) and gradchecked in F64. */
class DistillationLossTest {
    @Test
    void matchesPyTorchAndStopsAtTheTeacher() {
        Map<String, Tensor> f = Fixtures.load("distillation_loss");
        Tensor student = f.get("student").clone().requiresGrad(true);
        Tensor teacher = f.get("teacher").clone().requiresGrad(true);
        Tensor loss = F.distillationLoss(student, teacher, f.get("target"), 4.0, 0.7);
        Fixtures.assertClose("loss", f.get("output"), loss.reshape(1), 1e-5);
        loss.backward();
        Fixtures.assertClose("grad", f.get("grad_student"), student.grad(), 1e-5);
        assertNull(teacher.grad(), "no gradient reaches the teacher");
    }

    @Test
    void gradcheckInF64() {
        Tensor target = Tensor.of(new long[] {1, 0, 2}, 3);
        Tensor teacher = Tensor.randn(3, 4).toType(DType.F64);
        Tensor student = Tensor.randn(3, 4).toType(DType.F64).requiresGrad(true);
        assertTrue(GradCheck.check(in -> F.distillationLoss(in[0], teacher, target, 2.5, 0.6), student));
        assertTrue(GradCheck.checkSecondOrder(in -> F.distillationLoss(in[0], teacher, target, 2.5, 0.6), student));
    }

    @Test
    void rejectsBadArguments() {
        Tensor s = Tensor.zeros(2, 3);
        Tensor t = Tensor.of(new long[] {0, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> F.distillationLoss(s, Tensor.zeros(2, 4), t, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> F.distillationLoss(s, s, t, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> F.distillationLoss(s, s, t, 1, 1.5));
    }
}
