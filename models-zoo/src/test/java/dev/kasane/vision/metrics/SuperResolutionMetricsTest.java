package dev.kasane.vision.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Luma PSNR/SSIM with a shaved border against the NumPy reference of gen_metric_fixtures.py and known values. */
class SuperResolutionMetricsTest {
    @Test
    void lumaOfKnownColours() {
        // black, white, pure red, pure green, pure blue: 16, 235, 16 + 65.481, 16 + 128.553, 16 + 24.966 (of 255)
        Tensor rgb = Tensor.of(new double[] {0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1}, 3, 1, 5);
        double[] y = SuperResolutionMetrics.luma(rgb).toDoubleArray();
        double[] expected = {16, 235, 81.481, 144.553, 40.966};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i] / 255, y[i], 1e-12);
        }
    }

    @Test
    void psnrAndSsimOnShavedLumaMatchReference() throws IOException {
        Map<String, Tensor> f = Fixtures.load("vision_metrics.safetensors");
        Tensor a = Fixtures.imageA(2, 3, 24, 26);
        Tensor b = Fixtures.imageB(2, 3, 24, 26);
        Tensor luma = SuperResolutionMetrics.luma(a);
        assertArrayEquals(new int[] {2, 1, 24, 26}, luma.shape());
        double[] expectedLuma = f.get("luma").toDoubleArray();
        double[] actualLuma = luma.toDoubleArray();
        for (int i = 0; i < expectedLuma.length; i++) {
            assertEquals(expectedLuma[i], actualLuma[i], 1e-12);
        }
        assertEquals(f.get("psnr_y_shave3").item(), SuperResolutionMetrics.psnrY(a, b, 3), 1e-10);
        assertEquals(f.get("ssim_y_shave3").item(), SuperResolutionMetrics.ssimY(a, b, 3), 1e-10);
        // one image [3, H, W] in F32 gives the same to float precision (tolerance 1e-4 dB, 1e-6)
        Tensor a0 = a.select(0, 0).toType(DType.F32);
        Tensor b0 = b.select(0, 0).toType(DType.F32);
        double psnr0 = SuperResolutionMetrics.psnrY(a0, b0, 3);
        assertEquals(Metrics.psnr(SuperResolutionMetrics.shave(SuperResolutionMetrics.luma(a.select(0, 0)), 3),
                SuperResolutionMetrics.shave(SuperResolutionMetrics.luma(b.select(0, 0)), 3), 1.0), psnr0, 1e-4);
    }

    @Test
    void shaveRemovesTheBorderAndChecksSizes() {
        Tensor x = Tensor.arange(5 * 6).toType(DType.F32).reshape(1, 5, 6);
        Tensor s = SuperResolutionMetrics.shave(x, 2);
        assertArrayEquals(new int[] {1, 1, 2}, s.shape());
        assertArrayEquals(new float[] {14, 15}, s.contiguous().toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuperResolutionMetrics.shave(x, 3));
        assertTrue(e.getMessage().startsWith("shave: cannot remove a border of 3 pixels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SuperResolutionMetrics.luma(Tensor.zeros(1, 4, 4)));
        assertTrue(e.getMessage().startsWith("luma: expected floating-point RGB images"), e.getMessage());
    }
}
