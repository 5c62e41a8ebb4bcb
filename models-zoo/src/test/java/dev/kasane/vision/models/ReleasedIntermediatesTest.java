package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Generator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The models release each consumed intermediate ({@code Intermediates}: at once under no_grad, after backward when
 * the graph saved it), and later batches and steps reuse that memory. Outputs and gradients must not change
 * (tolerance 0), batch after batch and step after step, for residual blocks with and without a projection shortcut,
 * the bottleneck, the inverted residual and LeNet-5's plain chain. Under no_grad in eval mode the residual networks
 * also write batch norm, its ReLU and the residual sum over the consumed convolution outputs
 * ({@code Intermediates.thenNorm}, {@code thenAddRelu}): the same values as the recorded path, bit for bit.
 */
class ReleasedIntermediatesTest {
    private static void sameBatchAfterBatch(Module model, int... shape) {
        Generator.seedGlobal(21);
        Tensor a = Tensor.randn(shape);
        Tensor b = Tensor.randn(shape);
        model.train();
        try (var g = Autograd.noGrad()) {
            model.forward(a.mul(2).add(0.5));   // running statistics away from 0 and 1
        }
        model.eval();
        // the recorded path with the weights frozen (a graph for the input's gradient only): convolutions take their
        // weights as fixed there too, as under no_grad, so the two paths run the same algorithms
        model.requiresGrad(false);
        float[] expectedA = model.forward(a.detach().requiresGrad(true)).toFloatArray();
        float[] expectedB = model.forward(b.detach().requiresGrad(true)).toFloatArray();
        model.requiresGrad(true);
        try (var g = Autograd.noGrad()) {
            for (int round = 0; round < 2; round++) {
                assertArrayEquals(expectedA, model.forward(a).toFloatArray(), 0f);
                assertArrayEquals(expectedB, model.forward(b).toFloatArray(), 0f);
            }
        }
        model.requiresGrad(false);
        assertArrayEquals(expectedA, model.forward(a).toFloatArray(), 0f);   // the inputs were never released
        model.requiresGrad(true);
    }

    /** Training steps without an optimizer step: every step's loss and gradients equal the first's. */
    private static void sameGradientsStepAfterStep(Module model, int... shape) {
        model.train();
        Generator.seedGlobal(22);
        Tensor x = Tensor.randn(shape).requiresGrad(true);
        List<Tensor> params = model.parameters();
        float[][] first = null;
        for (int step = 0; step < 3; step++) {
            model.zeroGrad();
            x.setGrad(null);
            Tensor loss = model.forward(x).square().mean();
            loss.backward();
            float[][] now = new float[params.size() + 2][];
            now[0] = loss.toFloatArray();
            now[1] = x.grad().toFloatArray();
            for (int i = 0; i < params.size(); i++) {
                now[i + 2] = params.get(i).grad().toFloatArray();
            }
            if (first == null) {
                first = now;
            } else {
                for (int i = 0; i < now.length; i++) {
                    assertArrayEquals(first[i], now[i], 0f, "step " + step + ", array " + i);
                }
            }
        }
    }

    /** Both checks on {@code model} with inputs of {@code shape}. */
    private static void releasedIntermediatesChangeNothing(Module model, int... shape) {
        sameBatchAfterBatch(model, shape);
        sameGradientsStepAfterStep(model, shape);
    }

    @Test
    void resnet18() {
        Generator.seedGlobal(1);
        releasedIntermediatesChangeNothing(ResNet.resnet18(10, true), 2, 3, 16, 16);
    }

    @Test
    void resnet50() {
        Generator.seedGlobal(2);
        releasedIntermediatesChangeNothing(ResNet.resnet50(10, false), 2, 3, 32, 32);
    }

    @Test
    void mobilenetV2() {
        Generator.seedGlobal(3);
        releasedIntermediatesChangeNothing(new MobileNetV2(10, 0.25, 0.0), 2, 3, 32, 32);
    }

    @Test
    void lenet5() {
        Generator.seedGlobal(4);
        releasedIntermediatesChangeNothing(new LeNet5(10), 3, 1, 28, 28);
    }
}
