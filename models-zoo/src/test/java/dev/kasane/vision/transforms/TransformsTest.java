package dev.kasane.vision.transforms;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {
    static Tensor iota(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void toTensorFromHwcAndHw() {
        byte[] hwc = new byte[2 * 3 * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = (byte) (i * 14);
        }
        Tensor t = Transforms.toTensor(Tensor.ofUnsignedBytes(hwc, 2, 3, 3));
        assertArrayEquals(new int[] {3, 2, 3}, t.shape());
        assertEquals(DType.F32, t.dtype());
        // element (c=1, y=1, x=2) comes from hwc[(1 * 3 + 2) * 3 + 1] = 16 * 14 = 224
        assertEquals(224 / 255.0, t.get(1, 1, 2), 1e-7);
        Tensor g = Transforms.toTensor(Tensor.ofUnsignedBytes(new byte[] {0, (byte) 255, (byte) 128, 1}, 2, 2));
        assertArrayEquals(new int[] {1, 2, 2}, g.shape());
        assertEquals(1.0, g.get(0, 0, 1), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transforms.toTensor(Tensor.zeros(DType.U8, 1, 2, 2, 3)));
        assertTrue(e.getMessage().startsWith("toTensor: expected an image [H, W] or [H, W, C]"), e.getMessage());
    }

    @Test
    void normalizePerChannel() {
        Tensor x = Tensor.ones(2, 2, 2);
        Tensor y = Transforms.normalize(new double[] {0.5, 1}, new double[] {0.25, 2}).apply(x);
        assertEquals(2.0, y.get(0, 1, 1), 1e-6);
        assertEquals(0.0, y.get(1, 0, 0), 1e-6);
        Tensor batch = Transforms.normalize(Tensor.ones(3, 2, 4, 4), new double[] {0.5, 1}, new double[] {0.5, 1});
        assertEquals(1.0, batch.get(2, 0, 3, 3), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> Transforms.normalize(Tensor.ones(3, 2, 2), new double[] {1, 2}, new double[] {1, 1}));
    }

    @Test
    void resizeMatchesPytorchInterpolate() throws IOException {
        Map<String, Tensor> f = Fixtures.load("vision_metrics.safetensors");
        Tensor in = f.get("resize_in");
        for (String key : new String[] {"resize_12x5", "resize_4x13", "resize_7x9", "resize_3x3"}) {
            Tensor expected = f.get(key);
            Tensor out = Transforms.resize(in, expected.size(2), expected.size(3));
            assertTrue(out.allClose(expected, 1e-12, 1e-12), key + ": " + out + " vs " + expected);
            Tensor chw = Transforms.resize(in.select(0, 0).toType(DType.F32), expected.size(2), expected.size(3));
            assertTrue(chw.allClose(expected.select(0, 0), 1e-5, 1e-6), key);
        }
        Tensor u8 = Transforms.resize(Tensor.ofUnsignedBytes(new byte[] {0, (byte) 255}, 1, 2), 1, 4);
        assertArrayEquals(new long[] {0, 64, 191, 255}, u8.toLongArray());
        assertArrayEquals(new int[] {3, 10, 15}, Transforms.resize(10).apply(Tensor.zeros(3, 20, 30)).shape());
        assertArrayEquals(new int[] {3, 15, 10}, Transforms.resize(10).apply(Tensor.zeros(3, 30, 20)).shape());
    }

    @Test
    void centerCropRoundsHalfToEvenAndPads() {
        Tensor x = iota(1, 5, 6);
        Tensor c = Transforms.centerCrop(2, 3).apply(x);
        // top = round(1.5) = 2, left = round(1.5) = 2
        assertArrayEquals(new float[] {14, 15, 16, 20, 21, 22}, c.contiguous().toFloatArray());
        Tensor p = Transforms.centerCrop(3, 4).apply(iota(1, 1, 2));
        assertArrayEquals(new int[] {1, 3, 4}, p.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, p.contiguous().toFloatArray());
    }

    @Test
    void randomCropIsSeededAndCoversAllOffsets() {
        Tensor x = iota(1, 4, 4).add(1);
        Transform t1 = Transforms.randomCrop(4, 1, new Generator(7));
        Transform t2 = Transforms.randomCrop(4, 1, new Generator(7));
        Set<Float> corners = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Tensor a = t1.apply(x);
            Tensor b = t2.apply(x);
            assertArrayEquals(a.contiguous().toFloatArray(), b.contiguous().toFloatArray());
            assertArrayEquals(new int[] {1, 4, 4}, a.shape());
            corners.add((float) a.get(0, 1, 1));
        }
        // 3x3 offsets in the 6x6 padded image: the pixel at (1,1) of the crop takes 9 distinct values
        assertEquals(9, corners.size());
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(7, 1, new Generator(0)).apply(x));
    }

    @Test
    void randomHorizontalFlip() {
        Tensor x = iota(1, 2, 3);
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3},
                Transforms.randomHorizontalFlip(1.0, new Generator(1)).apply(x).toFloatArray());
        assertArrayEquals(x.toFloatArray(), Transforms.randomHorizontalFlip(0.0, new Generator(1)).apply(x).toFloatArray());
        Transform t = Transforms.randomHorizontalFlip(0.5, new Generator(3));
        int flipped = 0;
        for (int i = 0; i < 400; i++) {
            if (t.apply(x).get(0, 0, 0) == 2) {
                flipped++;
            }
        }
        assertTrue(flipped > 150 && flipped < 250, "flipped " + flipped);
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomHorizontalFlip(1.5));
    }

    @Test
    void composeAppliesInOrder() {
        Tensor img = Tensor.ofUnsignedBytes(new byte[] {(byte) 255, 0, 0, (byte) 255}, 2, 2);
        Transform t = Transforms.compose(Transforms.toTensor(), Transforms.normalize(new double[] {0.5}, new double[] {0.5}),
                Transforms.pad(1, -1));
        Tensor y = t.apply(img);
        assertArrayEquals(new int[] {1, 4, 4}, y.shape());
        assertEquals(1.0, y.get(0, 1, 1), 1e-6);
        assertEquals(-1.0, y.get(0, 1, 2), 1e-6);
        assertEquals(-1.0, y.get(0, 0, 0), 1e-6);
        assertNotEquals(null, Transform.identity().andThen(Transforms.toTensor()).apply(img));
    }
}
