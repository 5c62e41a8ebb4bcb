package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.QParams;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.QuantOps;
import dev.kasane.nn.quantization.Quantization;
import dev.kasane.nn.quantization.QuantizedConv2d;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grouped and depthwise int8 convolution: against PyTorch 1.13's {@code torch.ao.nn.quantized.Conv2d} (fixtures of
 * src/test/python/gen_quantized_conv_fixtures.py, engine onednn), against the float convolution of the same quantized
 * values, and through post-training quantization and quantization-aware training of a MobileNetV2 block.
 *
 * <p>PyTorch's layer outputs quint8 with an output scale; Kasane's keeps the requantized float32. So Kasane's output
 * is quantized with PyTorch's output scale and zero point and compared as integers: equal everywhere (tolerance 0;
 * both compute {@code round((acc - zp_in sum w) s_in s_w + bias) / s_out) + zp_out} from the same exact int32
 * accumulators, so only a float rounding at an exact .5 boundary could differ by one step, which these fixtures do
 * not hit).
 */
class QuantizedGroupedConvTest {
    private static final QParams INPUT = QParams.perTensor(1f / 64, 64, QuantDtype.QUINT8);

    private static void pytorchCase(String name, int cin, int cout, int kernel, int stride, int padding, int dilation,
                                    int groups, PadMode mode) {
        Map<String, Tensor> f = Fixtures.load(name);
        Conv2d conv = new Conv2d(cin, cout, new int[] {kernel, kernel}, new int[] {stride, stride}, Padding.of(padding),
                new int[] {dilation, dilation}, groups, true, mode);
        try (var g = Autograd.noGrad()) {
            conv.weight().copyFrom(f.get("weight"));
            conv.bias().copyFrom(f.get("bias"));
        }
        assertEquals(INPUT, QParams.perTensor((float) f.get("input_scale").item(), (int) f.get("input_zero_point").itemLong(),
                QuantDtype.QUINT8), name + " input parameters");
        QParams weight = new QParams(f.get("weight_scale").toFloatArray(), new int[cout], 0, -128, 127);
        Tensor x = f.get("x");
        Tensor y = new QuantizedConv2d(conv, INPUT, weight, false).forward(x);

        Tensor expected = F.conv2d(QuantOps.fakeQuantize(x, INPUT), QuantOps.fakeQuantize(conv.weight(), weight),
                conv.bias(), conv.stride(), conv.padding(), conv.dilation(), groups, mode);
        Fixtures.assertClose(name + " vs float conv of the quantized values", expected.detach(), y, 1e-5);

        QParams output = QParams.perTensor((float) f.get("output_scale").item(), (int) f.get("output_zero_point").itemLong(),
                QuantDtype.QUINT8);
        int[] ours = QuantOps.quantize(y, output).toIntArray();
        int[] theirs = f.get("output_int").toIntArray();
        assertEquals(theirs.length, ours.length, name + " size");
        for (int i = 0; i < ours.length; i++) {
            assertEquals(theirs[i], ours[i], name + " output " + i + " (as quint8 with PyTorch's output scale)");
        }
    }

    @Test
    void groupedConvMatchesPyTorch() {
        pytorchCase("qconv_groups2", 4, 6, 3, 1, 1, 1, 2, PadMode.CONSTANT);
        pytorchCase("qconv_groups3_dilated", 6, 9, 3, 1, 2, 2, 3, PadMode.CONSTANT);
    }

    @Test
    void depthwiseConvMatchesPyTorch() {
        pytorchCase("qconv_depthwise", 8, 8, 3, 2, 1, 1, 8, PadMode.CONSTANT);
        pytorchCase("qconv_depthwise_reflect", 4, 8, 3, 1, 1, 1, 4, PadMode.REFLECT);
    }

    @Test
    void replicateAndCircularPaddingAreRefusedAsPyTorchDoes() {
        for (PadMode mode : new PadMode[] {PadMode.REPLICATE, PadMode.CIRCULAR}) {
            Conv2d conv = new Conv2d(2, 2, new int[] {3, 3}, new int[] {1, 1}, Padding.of(1), new int[] {1, 1}, 2, true, mode);
            QParams w = new QParams(new float[] {0.1f, 0.1f}, new int[2], 0, -128, 127);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new QuantizedConv2d(conv, INPUT, w, false));
            assertTrue(e.getMessage().contains("QuantizedConv2d") && e.getMessage().contains(mode.name().toLowerCase()),
                    e.getMessage());
            Sequential model = new Sequential(conv);
            e = assertThrows(IllegalArgumentException.class, () -> Quantization.prepareQat(model,
                    () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE)));
            assertTrue(e.getMessage().contains(mode.name().toLowerCase()), e.getMessage());
        }
    }

    /** MobileNetV2's inverted residual body: expand 1x1, depthwise 3x3 stride 2, project 1x1, with batch norms. */
    private static Sequential invertedResidual() {
        return new Sequential(new Conv2d(4, 12, 1, 1, 0, false), new BatchNorm2d(12), new ReLU(),
                new Conv2d(12, 12, new int[] {3, 3}, new int[] {2, 2}, Padding.of(1), new int[] {1, 1}, 12, false,
                        PadMode.CONSTANT), new BatchNorm2d(12), new ReLU(),
                new Conv2d(12, 6, 1, 1, 0, false), new BatchNorm2d(6));
    }

    @Test
    void postTrainingQuantizationOfADepthwiseBlockStaysCloseToFloat() {
        Generator.seedGlobal(11);
        Sequential model = invertedResidual();
        model.train();
        for (int i = 0; i < 3; i++) {
            model.forward(Tensor.randn(8, 4, 10, 10));
        }
        model.eval();
        Tensor x = Tensor.randn(4, 4, 10, 10);
        Tensor reference = model.forward(x).detach();
        Quantization.fuse(model);
        Quantization.prepare(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        model.forward(Tensor.randn(16, 4, 10, 10));
        model.forward(x);
        Quantization.convert(model);
        QuantizedConv2d depthwise = assertInstanceOf(QuantizedConv2d.class, model.get(3));
        assertEquals(12, depthwise.groups());
        Tensor quantized = model.forward(x);
        double range = reference.abs().max().item();
        double err = quantized.sub(reference).abs().max().item();
        assertTrue(err < 0.05 * range, "int8 error " + err + " vs output range " + range);
    }

    @Test
    void quantizationAwareTrainingOfADepthwiseBlockConverts() {
        Generator.seedGlobal(12);
        Sequential model = invertedResidual();
        model.train();
        model.forward(Tensor.randn(8, 4, 10, 10));
        model.eval();
        Quantization.fuse(model);
        Quantization.prepareQat(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        model.train();
        Tensor x = Tensor.randn(8, 4, 10, 10);
        Tensor target = model.forward(x).detach().mul(0.5);   // reachable: halve the block's output
        double[] loss = QuantizedLayersTest.sgd(model, 20, 0.2, () -> F.mseLoss(model.forward(x), target));
        assertTrue(loss[1] < 0.5 * loss[0], "QAT loss " + loss[0] + " -> " + loss[1]);
        model.eval();
        Tensor fake = model.forward(x).detach();
        Quantization.convert(model);
        assertEquals(12, assertInstanceOf(QuantizedConv2d.class, model.get(3)).groups());
        Fixtures.assertClose("converted QAT model", fake, model.forward(x), 1e-4);
    }
}
