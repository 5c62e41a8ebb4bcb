package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * Inference under no_grad gives each consumed intermediate's memory back to the backend (the models' blocks and
 * Sequentials use {@code InferenceBuffers}), and later batches reuse it: the outputs must match the recorded path
 * exactly (tolerance 0), batch after batch, for residual blocks with and without a projection shortcut, the
 * bottleneck and the inverted residual.
 */
class NoGradInferenceTest {
    private static void sameWithoutGraph(Module model, int size) {
        model.eval();
        Generator.seedGlobal(21);
        Tensor a = Tensor.randn(2, 3, size, size);
        Tensor b = Tensor.randn(2, 3, size, size);
        float[] expectedA = model.forward(a).toFloatArray();   // grad mode on: nothing is given back
        float[] expectedB = model.forward(b).toFloatArray();
        try (var g = Autograd.noGrad()) {
            for (int round = 0; round < 2; round++) {
                assertArrayEquals(expectedA, model.forward(a).toFloatArray(), 0f);
                assertArrayEquals(expectedB, model.forward(b).toFloatArray(), 0f);
            }
        }
        assertArrayEquals(expectedA, model.forward(a).toFloatArray(), 0f);   // the inputs were never given back
    }

    @Test
    void resnet18() {
        Generator.seedGlobal(1);
        sameWithoutGraph(ResNet.resnet18(10, true), 16);
    }

    @Test
    void resnet50() {
        Generator.seedGlobal(2);
        sameWithoutGraph(ResNet.resnet50(10, false), 32);
    }

    @Test
    void mobilenetV2() {
        Generator.seedGlobal(3);
        sameWithoutGraph(new MobileNetV2(10, 0.25, 0.2), 32);
    }
}
