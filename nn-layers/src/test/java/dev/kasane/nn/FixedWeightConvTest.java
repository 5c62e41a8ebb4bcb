package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * conv2d tells the backend that a weight needing no gradient in the call (inference, a frozen layer) is fixed across
 * calls, which lets the CPU backend take its Winograd kernel on smaller planes (batch-1 ResNet-50's 3x3 layers): the
 * fixed and the trained forms are each reproduced exactly, and agree to Winograd's rounding.
 */
class FixedWeightConvTest {
    private static final Conv2dSpec SAME = Conv2dSpec.of(1, 1, 1, 1);

    @Test
    void aWeightNeedingNoGradientIsConvolvedAsFixed() {
        Generator.seedGlobal(11);
        // 256 channels at 14x14, batch 1: 49 output tiles, Winograd's only for a fixed weight (where present)
        Tensor x = Tensor.randn(1, 256, 14, 14);
        Tensor w = Tensor.randn(256, 256, 3, 3).mul(0.02);
        float[] fixed = Function.array(x).conv2d(Function.array(w), SAME, true).toFloatArray();
        float[] trained = Function.array(x).conv2d(Function.array(w), SAME, false).toFloatArray();
        // the default is the trained form
        assertArrayEquals(trained, Function.array(x).conv2d(Function.array(w), SAME).toFloatArray(), 0f);

        try (var g = Autograd.noGrad()) {
            Tensor wg = w.detach().requiresGrad(true);
            assertArrayEquals(fixed, F.conv2d(x, wg, null, 1, 1).toFloatArray(), 0f, "under noGrad");
        }
        assertArrayEquals(fixed, F.conv2d(x, w, null, 1, 1).toFloatArray(), 0f, "no input needs a gradient");
        Tensor xg = x.detach().requiresGrad(true);
        assertArrayEquals(fixed, F.conv2d(xg, w, null, 1, 1).toFloatArray(), 0f, "a frozen layer: only the input's gradient");
        Tensor wg = w.detach().requiresGrad(true);
        Tensor y = F.conv2d(x, wg, null, 1, 1);
        assertArrayEquals(trained, y.toFloatArray(), 0f, "a trained weight");
        y.sum().backward();
        assertEquals(256 * 256 * 9, wg.grad().numel());

        // F(2x2, 3x3) rounds differently from the direct sum: within 1e-4 of the output's scale (as WinogradTest)
        double scale = 0;
        for (float v : trained) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < fixed.length; i++) {
            assertEquals(trained[i], fixed[i], 1e-4 * scale, "element " + i);
        }
    }
}
