package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.nn.quantization.Int8Gemm;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.ObservedLayer;
import dev.kasane.nn.quantization.QParams;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.QuantOps;
import dev.kasane.nn.quantization.Quantization;
import dev.kasane.nn.quantization.QuantizedConv2d;
import dev.kasane.nn.quantization.QuantizedLinear;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 kernel against its scalar reference (exact), the int8 layers against float layers run on the same
 * quantized values (tolerance 1e-5 relative: the requantization is float32), conv + bn folding, post-training
 * quantization end to end with its checkpoint, and quantization-aware training.
 */
class QuantizedLayersTest {
    @TempDir
    Path dir;

    @Test
    void vectorGemmEqualsScalarReference() {
        Random rnd = new Random(5);
        for (int[] mkn : new int[][] {{1, 1, 1}, {37, 5, 7}, {64, 9, 12}, {200, 3, 4}, {15, 2, 3}, {1000, 25, 6}}) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            byte[] a = new byte[m * k];
            byte[] b = new byte[n * k];
            rnd.nextBytes(a);
            rnd.nextBytes(b);
            a[0] = -128;
            b[0] = -128;
            int[] expected = new int[m * n];
            int[] actual = new int[m * n];
            Int8Gemm.reference(a, m, k, b, n, expected);
            Int8Gemm.multiply(a, m, k, b, n, actual);
            assertArrayEquals(expected, actual, m + "x" + k + "x" + n);
        }
    }

    private static QParams weightParams(Tensor w) {
        MinMaxObserver o = new MinMaxObserver(QuantDtype.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, 0);
        o.observe(w);
        return o.qparams();
    }

    @Test
    void quantizedLinearEqualsFloatLinearOnQuantizedValues() {
        Generator.seedGlobal(3);
        Linear lin = new Linear(19, 6);
        Tensor x = Tensor.randn(4, 19);
        QParams in = QParams.perTensor(0.02f, 120, QuantDtype.QUINT8);
        QParams w = weightParams(lin.weight());
        Tensor expected = F.relu(F.linear(QuantOps.fakeQuantize(x, in), QuantOps.fakeQuantize(lin.weight(), w), lin.bias()));
        Tensor actual = new QuantizedLinear(lin, in, w, true).forward(x);
        Fixtures.assertClose("int8 linear", expected.detach(), actual, 1e-5);
    }

    @Test
    void quantizedConvEqualsFloatConvOnQuantizedValues() {
        Generator.seedGlobal(4);
        Conv2d conv = new Conv2d(3, 5, new int[] {3, 2}, new int[] {2, 1}, Padding.of(1, 2), new int[] {1, 2}, 1, true,
                PadMode.CONSTANT);
        Tensor x = Tensor.randn(2, 3, 7, 6);
        QParams in = QParams.perTensor(0.03f, 100, QuantDtype.QUINT8);
        QParams w = weightParams(conv.weight());
        Tensor expected = F.conv2d(QuantOps.fakeQuantize(x, in), QuantOps.fakeQuantize(conv.weight(), w), conv.bias(),
                conv.stride(), conv.padding(), conv.dilation(), 1, PadMode.CONSTANT);
        Tensor actual = new QuantizedConv2d(conv, in, w, false).forward(x);
        Fixtures.assertClose("int8 conv", expected.detach(), actual, 1e-5);
    }

    @Test
    void loadingNewWeightsIntoAConvertedLayerIsSeenByItsNextForward() {
        Generator.seedGlobal(8);
        Linear a = new Linear(5, 3);
        Linear b = new Linear(5, 3);
        QParams in = QParams.perTensor(0.02f, 128, QuantDtype.QUINT8);
        QuantizedLinear qa = new QuantizedLinear(a, in, weightParams(a.weight()), false);
        QuantizedLinear qb = new QuantizedLinear(b, in, weightParams(b.weight()), false);
        Tensor x = Tensor.randn(4, 5);
        qa.forward(x);                                       // packs a's weight
        qa.loadStateDict(qb.stateDict(), true);              // written in place: same buffer, new version
        assertArrayEquals(qb.forward(x).toFloatArray(), qa.forward(x).toFloatArray());
    }

    @Test
    void convBnFoldingEqualsConvThenBatchNormInEval() {
        Generator.seedGlobal(5);
        Conv2d conv = new Conv2d(2, 4, 3, 1, 1, false);
        BatchNorm2d bn = new BatchNorm2d(4);
        bn.train();
        for (int i = 0; i < 3; i++) {
            bn.forward(conv.forward(Tensor.randn(3, 2, 5, 5).mul(2).add(1)));
        }
        bn.eval();
        Tensor x = Tensor.randn(2, 2, 5, 5);
        Tensor expected = bn.forward(conv.forward(x)).detach();
        Fixtures.assertClose("folded", expected, Quantization.fuseConvBn(conv, bn).forward(x).detach(), 1e-5);
    }

    private static Sequential smallNet() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 4 * 4, 10), new ReLU(), new Linear(10, 3));
    }

    @Test
    void postTrainingQuantizationStaysCloseAndRoundTripsThroughSafetensors() throws IOException {
        Generator.seedGlobal(6);
        Sequential model = smallNet();
        model.train();
        model.forward(Tensor.randn(8, 1, 8, 8));
        model.eval();
        Tensor x = Tensor.randn(5, 1, 8, 8);
        Tensor reference = model.forward(x).detach();
        Quantization.fuse(model);
        assertInstanceOf(Identity.class, model.get(1));
        Quantization.prepare(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        assertInstanceOf(ObservedLayer.class, model.get(0));
        assertInstanceOf(Identity.class, model.get(2), "the ReLU is fused into the conv");
        model.forward(Tensor.randn(16, 1, 8, 8));
        model.forward(x);
        Quantization.convert(model);
        assertInstanceOf(QuantizedConv2d.class, model.get(0));
        Tensor quantized = model.forward(x);
        double range = reference.abs().max().item();
        double err = quantized.sub(reference).abs().max().item();
        assertTrue(err < 0.05 * range, "int8 error " + err + " vs output range " + range);

        Path file = dir.resolve("q.safetensors");
        Quantization.save(model, file);
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, bytes[0] & 0xFF | (bytes[1] & 0xFF) << 8, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"0.weight\":{\"dtype\":\"I8\",\"shape\":[4,1,3,3]"), header);
        Sequential fresh = smallNet();
        Quantization.load(fresh, file);
        assertArrayEquals(quantized.toFloatArray(), fresh.forward(x).toFloatArray());
    }

    @Test
    void layersOutsideContainersAreRejected() {
        Module field = new Module() {
            private final Linear fc = registerModule("fc", new Linear(2, 2));

            @Override
            public Tensor forward(Tensor input) {
                return fc.forward(input);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantization.prepare(field,
                () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE)));
        assertTrue(e.getMessage().contains("Linear 'fc'"), e.getMessage());
    }

    /** {@code steps} steps of plain SGD on {@code loss}; returns the first and the last loss. */
    static double[] sgd(Module model, int steps, double lr, java.util.function.Supplier<Tensor> loss) {
        double[] firstAndLast = new double[2];
        for (int step = 0; step < steps; step++) {
            model.zeroGrad();
            Tensor value = loss.get();
            value.backward();
            try (var g = Autograd.noGrad()) {
                for (Tensor p : model.parameters()) {
                    p.subInPlace(p.grad().mul(lr));
                }
            }
            firstAndLast[step == 0 ? 0 : 1] = value.item();
        }
        return firstAndLast;
    }

    @Test
    void quantizationAwareTrainingTrainsThroughFakeQuantizationAndConverts() {
        Generator.seedGlobal(7);
        Sequential model = new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 3));
        Quantization.prepareQat(model, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        model.train();
        Tensor x = Tensor.randn(32, 6);
        Tensor target = Tensor.randint(0, 3, 32);
        double[] loss = sgd(model, 30, 0.5, () -> F.crossEntropy(model.forward(x), target));
        assertTrue(loss[1] < 0.8 * loss[0], "QAT loss " + loss[0] + " -> " + loss[1]);
        model.eval();
        Tensor fake = model.forward(x).detach();
        Quantization.convert(model);
        assertInstanceOf(QuantizedLinear.class, model.get(0));
        Fixtures.assertClose("converted QAT model", fake, model.forward(x), 1e-4);
    }
}
