package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * LARS against the PyTorch reference written in src/test/python/gen_ssl_fixtures.py (PyTorch has no LARS), on
 * OptimizerParityTest's problem: parameters after each of 10 steps in float64 within 1e-6 relative.
 */
class LarsParityTest {
    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        List<Fixtures.Block> cases = Fixtures.read("lars.txt");
        assertEquals(4, cases.size());
        return cases.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            OptimizerParityTest.Problem pr = new OptimizerParityTest.Problem(b);
            OptimizerParityTest.runAndCompare(b, pr, new LARS(pr.groups(b, LARS.SCHEMA), LARS.options()));
        }));
    }

    @Test
    void aZeroParameterTakesThePlainMomentumStep() {
        // ||p|| = 0: the trust ratio is 1, so the first step is p - lr * grad
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        LARS opt = new LARS(List.of(p), LARS.options().lr(0.5));
        p.setGrad(Tensor.of(new float[] {1, -2, 4}, 3));
        opt.step();
        assertArrayEquals(new float[] {-0.5f, 1, -2}, p.toFloatArray(), 0f);
    }

    @Test
    void groupsExcludingVectorsLeaveBiasesUnadapted() {
        Tensor w = Tensor.ones(2, 3).requiresGrad(true);
        Tensor bias = Tensor.ones(2).requiresGrad(true);
        List<ParamGroup<LARS.Options>> groups = LARS.groupsExcludingVectors(List.of(w, bias));
        LARS opt = new LARS(groups, LARS.options().weightDecay(0.1));
        assertEquals(2, opt.paramGroups().size());
        assertTrue(opt.paramGroups().get(0).options().trustAdaptation());
        assertEquals(0.1, opt.paramGroups().get(0).options().weightDecay());
        assertFalse(opt.paramGroups().get(1).options().trustAdaptation());
        assertEquals(0.0, opt.paramGroups().get(1).options().weightDecay());
        assertEquals(List.of(bias), opt.paramGroups().get(1).params());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LARS(List.of(w), LARS.options().trustCoefficient(-1)));
        assertTrue(e.getMessage().contains("LARS") && e.getMessage().contains("trust_coefficient"), e.getMessage());
    }
}
