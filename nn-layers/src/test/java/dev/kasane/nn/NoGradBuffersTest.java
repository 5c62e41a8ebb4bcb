package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.PoolResult;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * Layers that skip temporaries when no graph is recorded (batch norm in eval mode adds its shift in place; max
 * pooling gives its unread indices back to the backend) compute exactly what the recorded path computes
 * (tolerance 0), and indices a caller asked for stay valid while later poolings reuse memory.
 */
class NoGradBuffersTest {
    private static Tensor images() {
        Generator.seedGlobal(11);
        return Tensor.randn(2, 3, 8, 8);
    }

    @Test
    void evalBatchNormWithoutGraphMatchesTheRecordedPath() {
        Generator.seedGlobal(4);
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.forward(images().mul(3).add(1));                  // running statistics away from 0 and 1
        bn.eval();
        Tensor x = images().requiresGrad(true);
        float[] recorded = bn.forward(x).toFloatArray();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(recorded, bn.forward(x).toFloatArray(), 0f);
        }
        assertArrayEquals(recorded, bn.forward(images()).toFloatArray(), 0f);   // grad on, nothing requires grad
    }

    @Test
    void maxPoolWithoutGraphMatchesAndReturnedIndicesStayValid() {
        Tensor x = images().requiresGrad(true);
        PoolResult kept = F.maxPool2dWithIndices(images(), new int[] {2}, null, new int[] {0}, new int[] {1}, false);
        long[] indices = kept.indices().toLongArray();
        float[] recorded = F.maxPool2d(x, 2).toFloatArray();
        try (var g = Autograd.noGrad()) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(recorded, F.maxPool2d(x, 2).toFloatArray(), 0f);
                assertArrayEquals(recorded, new MaxPool2d(2).forward(x).toFloatArray(), 0f);
            }
        }
        assertArrayEquals(indices, kept.indices().toLongArray());
        assertArrayEquals(recorded, kept.values().toFloatArray(), 0f);
    }
}
