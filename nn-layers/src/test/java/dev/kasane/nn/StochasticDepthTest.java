package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.StochasticDepthMode;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * torchvision's stochastic depth semantics, which a random mask cannot be compared to PyTorch's on: what is dropped
 * together (a sample, or the batch), the kept scale {@code 1 / (1 - p)}, the drop rate, the gradient, eval mode.
 * (Its deterministic cases, eval and p = 1, are in NnParityTest; its gradcheck in FunctionalGradCheckTest.)
 */
class StochasticDepthTest {
    private static final double P = 0.3;

    @Test
    void rowModeKeepsOrDropsWholeSamplesAtRateP() {
        Tensor x = Tensor.ones(4000, 3, 2).requiresGrad(true);
        Tensor y = F.stochasticDepth(x, P, StochasticDepthMode.ROW, true, new Generator(5));
        double[] v = y.toDoubleArray();
        int dropped = 0;
        for (int row = 0; row < 4000; row++) {
            double first = v[row * 6];
            assertTrue(first == 0 || Math.abs(first - 1 / (1 - P)) < 1e-6, "row " + row + " scaled by " + first);
            for (int j = 1; j < 6; j++) {
                assertEquals(first, v[row * 6 + j], "row " + row + " is kept or dropped as a whole");
            }
            dropped += first == 0 ? 1 : 0;
        }
        // binomial(4000, 0.3): standard deviation 0.0072; tolerance 4 of them
        assertEquals(P, dropped / 4000.0, 0.029);
        y.sum().backward();
        assertArrayEquals(v, x.grad().toDoubleArray(), 1e-6, "the gradient is the same mask");
    }

    @Test
    void batchModeDropsEverythingTogether() {
        Generator gen = new Generator(9);
        int dropped = 0;
        for (int i = 0; i < 1000; i++) {
            Tensor y = F.stochasticDepth(Tensor.ones(3, 4), P, StochasticDepthMode.BATCH, true, gen);
            double max = y.max().item();
            assertEquals(max, y.min().item(), "one factor for the whole batch");
            dropped += max == 0 ? 1 : 0;
        }
        // binomial(1000, 0.3): standard deviation 0.0145; tolerance 4 of them
        assertEquals(P, dropped / 1000.0, 0.058);
    }

    @Test
    void identityInEvalOrAtZeroAndSeededDraws() {
        Tensor x = Tensor.randn(5, 2);
        StochasticDepth layer = new StochasticDepth(0.5, StochasticDepthMode.ROW);
        layer.eval();
        assertSame(x, layer.forward(x));
        assertSame(x, F.stochasticDepth(x, 0, StochasticDepthMode.ROW, true));
        assertArrayEquals(F.stochasticDepth(x, 0.5, StochasticDepthMode.ROW, true, new Generator(1)).toDoubleArray(),
                F.stochasticDepth(x, 0.5, StochasticDepthMode.ROW, true, new Generator(1)).toDoubleArray(), 0.0);
        assertEquals("StochasticDepth(p=0.5, mode=row)", layer.toString().lines().findFirst().orElseThrow());
        assertEquals(0, layer.numParameters());
        assertTrue(layer.stateDict().isEmpty());
    }

    @Test
    void errorsNameTheOp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StochasticDepth(1.5, StochasticDepthMode.ROW));
        assertTrue(e.getMessage().startsWith("StochasticDepth: probability must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.stochasticDepth(Tensor.ones(2), -0.1, StochasticDepthMode.BATCH, true));
        assertTrue(e.getMessage().startsWith("stochasticDepth: probability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> F.stochasticDepth(Tensor.scalar(1.0), 0.5, StochasticDepthMode.ROW, true));
        assertTrue(e.getMessage().startsWith("stochasticDepth: ROW mode needs a batch dim"), e.getMessage());
    }
}
