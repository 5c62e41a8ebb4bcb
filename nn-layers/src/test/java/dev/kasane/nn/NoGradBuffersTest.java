package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
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

    /** {@link F#batchNormInPlace} writes over its input the recorded path's values (plus a residual, then ReLU's), bit for bit. */
    @Test
    void batchNormInPlaceEqualsTheRecordedPathThenRelu() {
        BatchNorm2d bn = evalBatchNorm(5);
        Tensor w = bn.parameters().get(0);
        float[] plain = bn.forward(images()).toFloatArray();
        float[] relu = F.relu(bn.forward(images())).toFloatArray();
        try (var g = Autograd.noGrad()) {
            for (boolean withRelu : new boolean[] {false, true}) {
                Tensor x = images();
                int version = Function.array(x).version();
                Tensor y = F.batchNormInPlace(x, bn.buffer("running_mean"), bn.buffer("running_var"), w,
                        bn.parameters().get(1), bn.eps(), null, withRelu);
                assertSame(x, y);
                assertTrue(Function.array(x).version() > version);
                assertArrayEquals(withRelu ? relu : plain, x.toFloatArray(), 0f);
            }
            Tensor shortcut = images().mul(0.5);
            float[] residual = F.relu(bn.forward(images()).add(shortcut)).toFloatArray();
            Tensor x = images();
            F.batchNormInPlace(x, bn.buffer("running_mean"), bn.buffer("running_var"), w, bn.parameters().get(1),
                    bn.eps(), shortcut, true);
            assertArrayEquals(residual, x.toFloatArray(), 0f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> F.batchNormInPlace(images(),
                bn.buffer("running_mean"), bn.buffer("running_var"), w, null, 1e-5, null, true));
        assertTrue(e.getMessage().contains("batchNormInPlace") && e.getMessage().contains("grad"), e.getMessage());
    }

    /**
     * Eval mode folds the running statistics, weight and bias once and keeps the fold; a write to any of them (an
     * optimizer step, a training-mode forward, a state-dict load) makes the next eval forward fold again: the output
     * equals a fresh layer's with the same values (tolerance 0).
     */
    @Test
    void theKeptFoldFollowsWritesToStatisticsAndParameters() {
        BatchNorm2d bn = evalBatchNorm(6);
        try (var g = Autograd.noGrad()) {
            bn.forward(images());
            bn.parameters().get(0).mulInPlace(1.5);                  // weight
            assertArrayEquals(twin(bn).forward(images()).toFloatArray(), bn.forward(images()).toFloatArray(), 0f);
            bn.parameters().get(1).addInPlace(0.25);                 // bias
            assertArrayEquals(twin(bn).forward(images()).toFloatArray(), bn.forward(images()).toFloatArray(), 0f);
        }
        bn.train();
        bn.forward(images().mul(5));                                 // running statistics move
        bn.eval();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(twin(bn).forward(images()).toFloatArray(), bn.forward(images()).toFloatArray(), 0f);
        }
    }

    /** An eval-mode layer whose running statistics one training batch moved away from 0 and 1. */
    private static BatchNorm2d evalBatchNorm(long seed) {
        Generator.seedGlobal(seed);
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.forward(images().mul(3).add(1));
        bn.eval();
        return bn;
    }

    /** A new eval-mode layer holding copies of {@code bn}'s parameters and buffers. */
    private static BatchNorm2d twin(BatchNorm2d bn) {
        BatchNorm2d t = new BatchNorm2d(bn.numFeatures());
        t.loadStateDict(bn.stateDict(), true);
        t.eval();
        return t;
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
