package dev.kasane.nn;

import static dev.kasane.nn.TestTensors.rnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.InterpolationMode;
import dev.kasane.nn.functional.Padding;
import dev.kasane.nn.functional.Reduction;
import dev.kasane.nn.functional.StochasticDepthMode;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Analytic gradients of the functional ops against central differences in F64 (GradCheck), first and second order. */
class FunctionalGradCheckTest {
    private static final int[] ONE = {1};

    @BeforeEach
    void seed() {
        Generator.seedGlobal(42);
    }

    @Test
    void conv2dStridePaddingDilationGroupsBias() {
        assertTrue(GradCheck.check(x -> F.conv2d(x[0], x[1], x[2], new int[] {2, 1}, Padding.of(1, 2), new int[] {1, 2}, 2,
                PadMode.CONSTANT), rnd(2, 4, 5, 6), rnd(4, 2, 3, 2), rnd(4)));
    }

    @Test
    void conv2dSameReflect() {
        assertTrue(GradCheck.check(x -> F.conv2d(x[0], x[1], null, ONE, Padding.SAME, ONE, 1, PadMode.REFLECT),
                rnd(1, 2, 5, 4), rnd(3, 2, 4, 3)));
    }

    @Test
    void conv2dSecondOrder() {
        assertTrue(GradCheck.checkSecondOrder(x -> F.conv2d(x[0], x[1], x[2], new int[] {2}, Padding.of(1), ONE, 1,
                PadMode.CONSTANT).tanh(), rnd(1, 2, 5, 5), rnd(3, 2, 3, 3), rnd(3)));
    }

    @Test
    void conv1d() {
        assertTrue(GradCheck.check(x -> F.conv1d(x[0], x[1], x[2], 2, Padding.of(1), 2, 1, PadMode.CONSTANT),
                rnd(2, 3, 9), rnd(4, 3, 3), rnd(4)));
    }

    @Test
    void convTranspose2dFirstAndSecondOrder() {
        GradCheck.Fn f = x -> F.convTranspose2d(x[0], x[1], x[2], new int[] {2}, new int[] {1}, new int[] {1}, 2, new int[] {1});
        assertTrue(GradCheck.check(f, rnd(2, 4, 3, 3), rnd(4, 1, 3, 3), rnd(2)));
        assertTrue(GradCheck.checkSecondOrder(x -> f.apply(x).sigmoid(), rnd(1, 4, 2, 3), rnd(4, 1, 3, 3), rnd(2)));
    }

    @Test
    void maxPoolFirstAndSecondOrder() {
        GradCheck.Fn f = x -> F.maxPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true);
        assertTrue(GradCheck.check(f, rnd(2, 2, 6, 5)));
        assertTrue(GradCheck.checkSecondOrder(x -> f.apply(x).square(), rnd(1, 2, 5, 5)));
    }

    @Test
    void avgPoolAndAdaptivePools() {
        assertTrue(GradCheck.check(x -> F.avgPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, true, false),
                rnd(2, 2, 6, 5)));
        assertTrue(GradCheck.check(x -> F.avgPool2d(x[0], 2), rnd(1, 2, 4, 6)));
        assertTrue(GradCheck.check(x -> F.adaptiveAvgPool2d(x[0], 3, 2), rnd(1, 2, 7, 5)));
        assertTrue(GradCheck.check(x -> F.adaptiveMaxPool2d(x[0], 3, 2), rnd(1, 2, 7, 5)));
    }

    @Test
    void interpolationAndPixelShuffle() {
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], new int[] {5, 7}, InterpolationMode.BILINEAR, false), rnd(1, 2, 3, 4)));
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], new int[] {5, 7}, InterpolationMode.BILINEAR, true), rnd(1, 2, 3, 4)));
        assertTrue(GradCheck.check(x -> F.interpolate(x[0], new double[] {2}, InterpolationMode.NEAREST, false), rnd(1, 2, 3, 4)));
        assertTrue(GradCheck.check(x -> F.pixelUnshuffle(F.pixelShuffle(x[0], 2).mul(x[0].sum()), 2), rnd(1, 4, 2, 3)));
    }

    @Test
    void stochasticDepthWithAFixedMask() {
        // a fresh generator per evaluation: every call draws the same mask (that drops some rows and keeps others, checked below)
        GradCheck.Fn f = x -> F.stochasticDepth(x[0], 0.5, StochasticDepthMode.ROW, true, new Generator(12));
        assertTrue(GradCheck.check(f, rnd(6, 3)));
        assertTrue(GradCheck.checkSecondOrder(a -> f.apply(a).square(), rnd(6, 3)));
        double[] kept = f.apply(new Tensor[] {Tensor.ones(6, 3)}).toDoubleArray();
        assertTrue(java.util.Arrays.stream(kept).anyMatch(v -> v == 0) && java.util.Arrays.stream(kept).anyMatch(v -> v == 2),
                "the mask both drops and keeps rows: " + java.util.Arrays.toString(kept));
    }

    @Test
    void squeezeExcitationAndConvNormActivationInputGradients() {
        // layers composed of checked ops; checked here as a whole, first and second order, in F64
        Module se = new SqueezeExcitation(4, 2, new SiLU(), new Sigmoid()).to(DType.F64);
        assertTrue(GradCheck.check(x -> se.forward(x[0]), rnd(2, 4, 3, 3)));
        assertTrue(GradCheck.checkSecondOrder(x -> se.forward(x[0]), rnd(1, 4, 2, 2)));
        Module cna = new Conv2dNormActivation(3, 3, 3, 2, 3, new ReLU6()).to(DType.F64);
        assertTrue(GradCheck.check(x -> cna.forward(x[0].mul(3)), rnd(2, 3, 5, 5)));
    }

    @Test
    void normalizations() {
        assertTrue(GradCheck.check(x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5), rnd(4, 3, 2, 2), rnd(3), rnd(3)));
        assertTrue(GradCheck.check(x -> F.batchNorm(x[0], null, null, null, x[1], true, 0.1, 1e-5), rnd(5, 2), rnd(2)));
        assertTrue(GradCheck.checkSecondOrder(x -> F.batchNorm(x[0], null, null, x[1], null, true, 0.1, 1e-5).tanh(),
                rnd(3, 2, 2), rnd(2)));
        Tensor rm = Tensor.randn(3);
        Tensor rv = Tensor.rand(3).add(0.5);
        assertTrue(GradCheck.check(x -> F.batchNorm(x[0], rm, rv, x[1], x[2], false, 0.1, 1e-5), rnd(2, 3, 2), rnd(3), rnd(3)));
        assertTrue(GradCheck.check(x -> F.layerNorm(x[0], new int[] {3, 4}, x[1], x[2], 1e-5), rnd(2, 3, 4), rnd(3, 4), rnd(3, 4)));
        assertTrue(GradCheck.check(x -> F.groupNorm(x[0], 2, x[1], x[2], 1e-5), rnd(2, 4, 3), rnd(4), rnd(4)));
        assertTrue(GradCheck.check(x -> F.instanceNorm(x[0], x[1], null, 1e-5), rnd(2, 3, 3, 2), rnd(3)));
    }

    @Test
    void activations() {
        Tensor x = rnd(3, 5);
        assertTrue(GradCheck.check(a -> F.elu(a[0], 0.7), x));
        assertTrue(GradCheck.check(a -> F.selu(a[0]), x));
        assertTrue(GradCheck.check(a -> F.gelu(a[0]), x));
        assertTrue(GradCheck.check(a -> F.gelu(a[0], true), x));
        assertTrue(GradCheck.check(a -> F.silu(a[0]), x));
        assertTrue(GradCheck.check(a -> F.mish(a[0]), x));
        assertTrue(GradCheck.check(a -> F.softplus(a[0], 2, 1), x));
        assertTrue(GradCheck.check(a -> F.logSigmoid(a[0]), x));
        assertTrue(GradCheck.check(a -> F.relu6(a[0].mul(4)), x));
        assertTrue(GradCheck.checkSecondOrder(a -> F.mish(a[0]), x));
        assertTrue(GradCheck.checkSecondOrder(a -> F.silu(a[0]), x)); // its fused op's recorded backward
        assertArrayEquals(x.mul(x.sigmoid()).toDoubleArray(), F.silu(x).toDoubleArray(), 0.0, "silu = x sigmoid(x) exactly");
    }

    @Test
    void losses() {
        Tensor logits = rnd(5, 4);
        Tensor target = Tensor.of(new long[] {0, 3, 1, 2, 1}, 5);
        Tensor w = Tensor.of(new double[] {0.5, 2, 1, 1.5}, 4);
        assertTrue(GradCheck.check(x -> F.crossEntropy(x[0], target, w, 1, Reduction.MEAN, 0.2), logits));
        assertTrue(GradCheck.check(x -> F.crossEntropy(x[0], x[1].softmax(1), null, -100, Reduction.SUM, 0.1), logits, rnd(5, 4)));
        assertTrue(GradCheck.check(x -> F.nllLoss(x[0].logSoftmax(1), target, w, -100, Reduction.NONE), logits));
        Tensor y = Tensor.rand(3, 4).gt(0.5).toType(dev.kasane.tensor.DType.F32);
        assertTrue(GradCheck.check(x -> F.binaryCrossEntropyWithLogits(x[0], y, null, x[1], Reduction.MEAN), rnd(3, 4), rnd(4)));
        assertTrue(GradCheck.check(x -> F.binaryCrossEntropy(x[0].sigmoid(), x[1].sigmoid(), null, Reduction.SUM), rnd(3, 4),
                rnd(3, 4)));
        assertTrue(GradCheck.check(x -> F.klDiv(x[0].logSoftmax(1), x[1].softmax(1), Reduction.BATCHMEAN, false), logits, rnd(5, 4)));
        assertTrue(GradCheck.check(x -> F.huberLoss(x[0], x[1], Reduction.MEAN, 0.5), rnd(3, 4), rnd(3, 4)));
        assertTrue(GradCheck.check(x -> F.smoothL1Loss(x[0], x[1], Reduction.SUM, 0.5), rnd(3, 4), rnd(3, 4)));
    }

    @Test
    void attentionAndEmbedding() {
        assertTrue(GradCheck.check(x -> F.scaledDotProductAttention(x[0], x[1], x[2], null, 0, true), rnd(2, 3, 4), rnd(2, 3, 4),
                rnd(2, 3, 5)));
        Tensor idx = Tensor.of(new long[] {1, 0, 3, 1}, 2, 2);
        assertTrue(GradCheck.check(x -> F.embedding(idx, x[0]), rnd(4, 3)));
        Tensor w = rnd(4, 3);
        F.embedding(idx, w, 1).sum().backward();
        assertTrue(java.util.Arrays.equals(new double[] {0, 0, 0}, w.grad().select(0, 1).toDoubleArray()),
                "the padding row gets no gradient");
        assertTrue(java.util.Arrays.equals(new double[] {1, 1, 1}, w.grad().select(0, 3).toDoubleArray()));
    }
}
