package dev.kasane.vision.metrics;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    @Test
    void accuracyFromScoresAndClasses() {
        Tensor scores = Tensor.of(new float[] {0.1f, 0.9f, 0, 2, 1, 0, 0, 0, 5, 3, 1, 1}, 4, 3);
        Tensor labels = Tensor.of(new long[] {1, 0, 2, 1});
        assertEquals(0.75, Metrics.accuracy(scores, labels), 1e-12);
        assertEquals(0.5, Metrics.accuracy(Tensor.of(new long[] {1, 1, 2, 0}), labels), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(scores, labels, 2), 1e-12);
        assertEquals(0.75, Metrics.topKAccuracy(scores, labels, 1), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy(scores, Tensor.of(new long[] {1, 2})));
        assertTrue(e.getMessage().contains("accuracy: labels must be integer classes [4]"), e.getMessage());
    }

    @Test
    void confusionMatrix() {
        var cm = new ConfusionMatrix(List.of("cat", "dog", "bird"));
        cm.update(Tensor.of(new long[] {0, 1, 1, 2, 0, 2}), Tensor.of(new long[] {0, 1, 2, 2, 1, 2}));
        assertEquals(6, cm.total());
        assertEquals(4.0 / 6, cm.accuracy(), 1e-12);
        assertEquals(1, cm.get(2, 1));
        assertEquals(0.5, cm.precision(1), 1e-12);
        assertEquals(2.0 / 3, cm.recall(2), 1e-12);
        assertEquals(0.5, cm.f1(1), 1e-12);
        String s = cm.toString();
        assertTrue(s.contains("true \\ pred") && s.contains("2 bird") && s.contains("accuracy 0.6667 over 6 samples"), s);
        String[] lines = s.split("\n");
        assertEquals(5, lines.length, s);
        assertTrue(lines[3].matches("2 bird\\s+0\\s+1\\s+2\\s+0\\.667"), lines[3]);
        assertThrows(IllegalArgumentException.class, () -> cm.update(Tensor.of(new long[] {3}), Tensor.of(new long[] {0})));
        assertTrue(Double.isNaN(new ConfusionMatrix(2).accuracy()));
    }

    @Test
    void psnrAndSsimMatchReference() throws IOException {
        Map<String, Tensor> f = Fixtures.load("vision_metrics.safetensors");
        Tensor a = Fixtures.imageA(2, 3, 16, 20);
        Tensor b = Fixtures.imageB(2, 3, 16, 20);
        assertEquals(f.get("psnr").item(), Metrics.psnr(a, b, 1), 1e-10);
        assertEquals(f.get("ssim").item(), Metrics.ssim(a, b, 1), 1e-10);
        assertEquals(f.get("ssim255").item(), Metrics.ssim(a.mul(255), b.mul(255), 255), 1e-10);
        assertEquals(f.get("psnr255").item(), Metrics.psnr(a.mul(255), b.mul(255), 255), 1e-10);
        Tensor a2 = Fixtures.imageA(11, 30);
        Tensor b2 = Fixtures.imageB(11, 30);
        assertEquals(f.get("ssim_hw").item(), Metrics.ssim(a2, b2, 1), 1e-10);
        // F32 inputs agree to float precision
        assertEquals(f.get("ssim").item(), Metrics.ssim(a.toType(dev.kasane.tensor.DType.F32),
                b.toType(dev.kasane.tensor.DType.F32), 1), 1e-6);
        assertEquals(1.0, Metrics.ssim(a, a, 1), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a, 1));
        assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(Tensor.zeros(3, 10, 20), Tensor.zeros(3, 10, 20), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(a, a2, 1));
        assertTrue(e.getMessage().startsWith("psnr: shapes differ"), e.getMessage());
    }

    @Test
    void iouAndDice() {
        Tensor p = Tensor.of(new boolean[] {true, true, false, false, true}, 5);
        Tensor t = Tensor.of(new long[] {1, 0, 0, 1, 1});
        assertEquals(2.0 / 4, Metrics.iou(p, t), 1e-12);
        assertEquals(2.0 * 2 / 6, Metrics.dice(p, t), 1e-12);
        Tensor empty = Tensor.zeros(2, 2);
        assertEquals(1.0, Metrics.iou(empty, empty));
        assertEquals(1.0, Metrics.dice(empty, empty));
        assertEquals(0.0, Metrics.iou(Tensor.ones(2, 2), empty));
    }
}
