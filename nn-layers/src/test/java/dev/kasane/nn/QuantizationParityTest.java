package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.MovingAverageMinMaxObserver;
import dev.kasane.nn.quantization.Observer;
import dev.kasane.nn.quantization.QParams;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import dev.kasane.nn.quantization.QuantOps;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Observers, quantize / dequantize and fake quantize against PyTorch 1.13 (fixtures of
 * src/test/python/gen_compression_fixtures.py). Ranges, scales and zero points are float32 computations done in the
 * same order as PyTorch's, so they must agree exactly (tolerance 0); fake-quantized values and their
 * straight-through gradients too.
 */
class QuantizationParityTest {
    private static void observerCase(String name, Supplier<Observer> make) {
        Map<String, Tensor> f = Fixtures.load(name);
        Observer o = make.get();
        for (int i = 0; f.containsKey("batch" + i); i++) {
            o.observe(f.get("batch" + i));
        }
        assertArrayEquals(f.get("min").toFloatArray(), o.min(), name + " min");
        assertArrayEquals(f.get("max").toFloatArray(), o.max(), name + " max");
        QParams p = o.qparams();
        assertArrayEquals(f.get("scale").toFloatArray(), p.scale(), name + " scale");
        assertArrayEquals(f.get("zero_point").toIntArray(), p.zeroPoint(), name + " zero point");
    }

    @Test
    void minMaxObserverMatchesPyTorch() {
        observerCase("quant_minmax_affine", () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        observerCase("quant_minmax_symmetric", () -> new MinMaxObserver(QuantDtype.QINT8, QScheme.PER_TENSOR_SYMMETRIC));
        observerCase("quant_minmax_positive", () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
    }

    @Test
    void movingAverageObserverMatchesPyTorch() {
        observerCase("quant_moving_average",
                () -> new MovingAverageMinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 0, 0.01));
        observerCase("quant_moving_average_per_channel",
                () -> new MovingAverageMinMaxObserver(QuantDtype.QUINT8, QScheme.PER_CHANNEL_AFFINE, 1, 0.1));
    }

    @Test
    void perChannelObserverMatchesPyTorch() {
        observerCase("quant_per_channel_symmetric",
                () -> new MinMaxObserver(QuantDtype.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, 0));
    }

    @Test
    void quantizePerTensorRoundsHalfToEvenAndClamps() {
        Map<String, Tensor> f = Fixtures.load("quant_per_tensor");
        QParams p = QParams.perTensor((float) f.get("scale").item(), (int) f.get("zero_point").itemLong(), QuantDtype.QUINT8);
        Tensor q = QuantOps.quantize(f.get("x"), p);
        assertArrayEquals(f.get("q").toIntArray(), q.toIntArray());
        // 0.25 / 0.5 = 0.5 -> 0, 0.75 / 0.5 = 1.5 -> 2, -0.5 -> 0, 2.5 -> 2 (half to even), 100 -> 200
        assertArrayEquals(new int[] {7, 9, 7, 9, 207}, java.util.Arrays.copyOf(q.toIntArray(), 5));
        Fixtures.assertClose("dequantized", f.get("dequantized"), QuantOps.dequantize(q, p), 0);
    }

    @Test
    void quantizePerChannelMatchesPyTorch() {
        Map<String, Tensor> f = Fixtures.load("quant_per_channel");
        QParams p = new QParams(f.get("scale").toFloatArray(), f.get("zero_point").toIntArray(), 1, -128, 127);
        Tensor q = QuantOps.quantize(f.get("x"), p);
        assertArrayEquals(f.get("q").toIntArray(), q.toIntArray());
        assertEquals(127, q.toIntArray()[4], "100 / 0.05 clamps to 127");
        Fixtures.assertClose("dequantized", f.get("dequantized"), QuantOps.dequantize(q, p), 0);
    }

    private static void fakeCase(String name, QParams p) {
        Map<String, Tensor> f = Fixtures.load(name);
        Tensor x = f.get("x").clone().requiresGrad(true);
        Tensor y = QuantOps.fakeQuantize(x, p);
        Fixtures.assertClose(name + " output", f.get("output"), y, 0);
        y.mul(f.get("grad_output")).sum().backward();
        Fixtures.assertClose(name + " grad", f.get("grad_input"), x.grad(), 0);
    }

    @Test
    void fakeQuantizeAndStraightThroughGradientMatchPyTorch() {
        fakeCase("quant_fake_per_tensor", new QParams(new float[] {0.1f}, new int[] {3}, -1, 0, 255));
        Map<String, Tensor> f = Fixtures.load("quant_fake_per_channel");
        fakeCase("quant_fake_per_channel",
                new QParams(f.get("scale").toFloatArray(), f.get("zero_point").toIntArray(), 1, -128, 127));
    }

    @Test
    void badInputsAreRejectedWithTheirShapes() {
        QParams perChannel = new QParams(new float[] {1, 1}, new int[] {0, 0}, 1, -128, 127);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantOps.quantize(Tensor.zeros(2, 3), perChannel));
        assertEquals(true, e.getMessage().contains("quantize") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantOps.quantize(Tensor.of(new int[] {1}, 1),
                QParams.perTensor(1, 0, QuantDtype.QINT8)));
        assertThrows(IllegalArgumentException.class, () -> QParams.perTensor(0, 0, QuantDtype.QINT8));
        assertThrows(IllegalArgumentException.class, () -> QParams.perTensor(1, 300, QuantDtype.QUINT8));
        assertThrows(IllegalStateException.class,
                () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE).qparams());
    }
}
