package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.PadMode;
import dev.kasane.vision.datasets.FashionMNIST;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataTest {
    private static final int N = 300;

    @TempDir
    Path tmp;

    private Path dir() throws IOException {
        String d = TestData.fashionDir(tmp);
        return d == null ? null : Path.of(d);
    }

    @Test
    void holdsOneBytePerPixelAndNoFloatCopy() throws IOException {
        ImageData data = ImageData.fashionMnist(dir(), true, N, 0.2860, 0.3530);
        TensorDataset loaded = data.pixelDataset();
        Tensor pixels = loaded.tensor(0);
        assertEquals(DType.U8, pixels.dtype());
        assertArrayEquals(new int[] {N, 1, 28, 28}, pixels.shape());
        // the limited set is its own array, not a view that keeps all 60,000 (or 1,024 synthetic) images alive
        assertEquals((long) N * 28 * 28, pixels.numel() * pixels.dtype().byteSize());
        assertEquals(pixels.numel(), data.pixels().contiguous().numel());
    }

    @Test
    void convertedBatchesEqualTheWholeSetConvertedAtOnceBitForBit() throws IOException {
        double mean = 0.2860;
        double std = 0.3530;
        ImageData data = ImageData.fashionMnist(dir(), false, N, mean, std);
        // the conversion as the whole-set code did it before: (x / 255 - mean) / std over [N, 28, 28] at once
        Tensor all = FashionMNIST.test(dir()).images().narrow(0, 0, N).toType(DType.F32).divInPlace(255.0)
                .subInPlace(mean).divInPlace(std).unsqueeze(1).contiguous();
        float[] expected = all.toFloatArray();
        float[] got = new float[expected.length];
        int at = 0;
        try (DataLoader<Batch> loader = DataLoader.builder(data.pixelDataset()).batchSize(64).build()) {
            for (Batch b : loader) {
                float[] x = data.convert(b.input()).toFloatArray();
                System.arraycopy(x, 0, got, at, x.length);
                at += x.length;
            }
        }
        assertEquals(expected.length, at);
        assertArrayEquals(expected, got, 0f, "per-batch conversion must match the whole-set one exactly");
        assertArrayEquals(expected, data.images().toFloatArray(), 0f);
        assertArrayEquals(all.narrow(0, 0, 5).toFloatArray(), data.head(5).toFloatArray(), 0f);
    }

    @Test
    void mapAppliesAfterTheConversion() throws IOException {
        ImageData data = ImageData.fashionMnist(dir(), false, 10, 0, 1)
                .map(x -> x.pad(new int[] {2, 2, 2, 2}, PadMode.CONSTANT, 0).sub(0.5));
        Tensor x = data.images();
        assertArrayEquals(new int[] {10, 1, 32, 32}, x.shape());
        assertEquals(-0.5, x.get(0, 0, 0, 0), 0.0, "the padding comes after the conversion");
        assertEquals(DType.U8, data.pixels().dtype());
    }
}
