package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QatConvBn2d;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.QuantOps;
import dev.kasane.nn.quantization.Quantization;
import dev.kasane.nn.quantization.QuantizedConv2d;
import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quantization-aware training with the batch norm trained inside the convolution: against PyTorch 1.13's
 * {@code torch.nn.intrinsic.qat.ConvBn2d} (fixture "qat_conv_bn" of src/test/python/gen_quantized_conv_fixtures.py:
 * output, running statistics and frozen output within 1e-5 relative, gradients within 1e-4 relative, float32
 * convolutions and batch statistics summed in a different order); the batch norm's statistics move in training mode
 * until frozen, gamma gets a gradient, the eval output is the folded
 * convolution on fake-quantized values (tolerance 1e-5 relative: float32 rounding of the scale and unscale), and the
 * converted int8 layer gives the same output (tolerance 1e-4 relative, as the other QAT conversion test).
 */
class QatConvBn2dTest {
    private static Sequential model() {
        return new Sequential(new Conv2d(2, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3));
    }

    private static BatchNorm2d bn(QatConvBn2d convBn) {
        return (BatchNorm2d) convBn.namedChildren().get("bn");
    }

    private static Sequential prepared() {
        Generator.seedGlobal(13);
        Sequential model = model();
        Quantization.prepareQat(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        return model;
    }

    @Test
    void prepareQatKeepsTheBatchNormAndTrainsItUntilFrozen() {
        Sequential model = prepared();
        QatConvBn2d convBn = assertInstanceOf(QatConvBn2d.class, model.get(0));
        assertInstanceOf(Identity.class, model.get(1), "the batch norm moved into the conv");
        assertInstanceOf(Identity.class, model.get(2), "the ReLU is fused");
        model.train();
        Tensor x = Tensor.randn(8, 2, 6, 6).mul(2).add(1);
        Tensor target = Tensor.randint(0, 3, 8);
        float[] before = bn(convBn).namedBuffers().get("running_mean").toFloatArray();
        double[] loss = QuantizedLayersTest.sgd(model, 25, 0.1, () -> F.crossEntropy(model.forward(x), target));
        assertTrue(loss[1] < 0.8 * loss[0], "QAT loss " + loss[0] + " -> " + loss[1]);
        float[] moved = bn(convBn).namedBuffers().get("running_mean").toFloatArray();
        assertFalse(Arrays.equals(before, moved), "running mean updated in training mode");
        Tensor gammaGrad = bn(convBn).namedParameters().get("weight").grad();
        assertNotNull(gammaGrad, "gamma is trained");
        assertTrue(gammaGrad.abs().max().item() > 0, "gamma's gradient is not zero");

        Quantization.freezeBnStats(model);
        model.forward(x);
        assertArrayEquals(moved, bn(convBn).namedBuffers().get("running_mean").toFloatArray(), "frozen statistics");
    }

    @Test
    void evalOutputIsTheFoldedConvolutionAndConvertsToInt8() {
        Sequential model = prepared();
        model.train();
        Tensor x = Tensor.randn(8, 2, 6, 6);
        for (int i = 0; i < 3; i++) {
            model.forward(x);
        }
        model.eval();
        QatConvBn2d convBn = (QatConvBn2d) model.get(0);
        Conv2d folded = Quantization.fuseConvBn((Conv2d) convBn.namedChildren().get("conv"), bn(convBn));
        var observer = new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        for (int i = 0; i < 3; i++) {
            observer.observe(x);
        }
        var weightObserver = new MinMaxObserver(QuantDtype.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, 0);
        weightObserver.observe(folded.weight());
        Tensor expected = F.relu(F.conv2d(QuantOps.fakeQuantize(x, observer.qparams()),
                QuantOps.fakeQuantize(folded.weight(), weightObserver.qparams()), folded.bias(), folded.stride(),
                folded.padding(), folded.dilation(), 1, folded.padMode()));
        Fixtures.assertClose("eval QatConvBn2d", expected.detach(), convBn.forward(x).detach(), 1e-5);

        Tensor fake = model.forward(x).detach();
        Quantization.convert(model);
        assertInstanceOf(QuantizedConv2d.class, model.get(0));
        Fixtures.assertClose("converted", fake, model.forward(x), 1e-4);
    }

    @Test
    void trainingAndFrozenStepsMatchPyTorch() {
        Map<String, Tensor> f = Fixtures.load("qat_conv_bn");
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        BatchNorm2d bn = new BatchNorm2d(4);
        try (var g = Autograd.noGrad()) {
            conv.weight().copyFrom(f.get("weight"));
            conv.bias().copyFrom(f.get("bias"));
        }
        bn.loadStateDict(Map.of("weight", f.get("bn_weight"), "bias", f.get("bn_bias"), "running_mean",
                f.get("running_mean"), "running_var", f.get("running_var")), false);
        QatConvBn2d convBn = new QatConvBn2d(conv, bn, new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE),
                false);
        convBn.train();
        Tensor x = f.get("x").clone().requiresGrad(true);
        Tensor y = convBn.forward(x);
        Fixtures.assertClose("output", f.get("output"), y.detach(), 1e-5);
        y.mul(f.get("grad_output")).sum().backward();
        Fixtures.assertClose("grad x", f.get("grad_x"), x.grad(), 1e-4);
        Fixtures.assertClose("grad weight", f.get("grad_weight"), conv.weight().grad(), 1e-4);
        Fixtures.assertClose("grad bias", f.get("grad_bias"), conv.bias().grad(), 1e-4);
        Fixtures.assertClose("grad gamma", f.get("grad_bn_weight"), bn.namedParameters().get("weight").grad(), 1e-4);
        Fixtures.assertClose("grad beta", f.get("grad_bn_bias"), bn.namedParameters().get("bias").grad(), 1e-4);
        Fixtures.assertClose("running mean", f.get("running_mean_after"), bn.namedBuffers().get("running_mean"), 1e-5);
        Fixtures.assertClose("running var", f.get("running_var_after"), bn.namedBuffers().get("running_var"), 1e-5);
        convBn.freezeBnStats();
        try (var g = Autograd.noGrad()) {
            Fixtures.assertClose("frozen output", f.get("output_frozen"), convBn.forward(f.get("x")), 1e-5);
        }
    }

    @Test
    void mismatchedBatchNormIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new QatConvBn2d(new Conv2d(2, 4, 3),
                new BatchNorm2d(5), new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE), false));
        assertTrue(e.getMessage().contains("QatConvBn2d") && e.getMessage().contains("4 and 5"), e.getMessage());
    }
}
