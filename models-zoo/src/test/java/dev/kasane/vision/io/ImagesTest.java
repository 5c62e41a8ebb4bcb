package dev.kasane.vision.io;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static Tensor gradient(int c, int h, int w) {
        float[] v = new float[c * h * w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[(k * h + y) * w + x] = k == 0 ? (float) x / (w - 1) : k == 1 ? (float) y / (h - 1) : 0.5f;
                }
            }
        }
        return Tensor.of(v, c, h, w);
    }

    @Test
    void u8RoundTripIsExact() throws IOException {
        byte[] b = new byte[3 * 4 * 5];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37);
        }
        Tensor rgb = Tensor.ofUnsignedBytes(b, 3, 4, 5);
        Path p = tmp.resolve("rgb.png");
        Images.write(rgb, p);
        Tensor hwc = Images.read(p);
        assertArrayEquals(new int[] {4, 5, 3}, hwc.shape());
        assertArrayEquals(b, toBytes(hwc.permute(2, 0, 1)));
        Tensor gray = Tensor.ofUnsignedBytes(new byte[] {0, 10, (byte) 200, (byte) 255, 7, 8}, 2, 3);
        Path g = tmp.resolve("sub/gray.png");
        Images.write(gray, g);
        Tensor back = Images.read(g);
        assertArrayEquals(new int[] {2, 3, 1}, back.shape());
        assertArrayEquals(gray.toIntArray(), back.toIntArray());
        assertArrayEquals(new int[] {2, 3, 3}, Images.read(g, Images.ColorMode.RGB).shape());
        assertArrayEquals(new int[] {4, 5, 1}, Images.read(p, Images.ColorMode.GRAY).shape());
    }

    @Test
    void floatRoundTripWithinQuantisation() throws IOException {
        Tensor img = gradient(3, 6, 9);
        Path p = tmp.resolve("f.png");
        Images.write(img, p);
        Tensor back = Images.readTensor(p);
        assertArrayEquals(new int[] {3, 6, 9}, back.shape());
        assertTrue(back.allClose(img, 0, 0.5 / 255 + 1e-6), back.toString());
        // out-of-range values are clamped, NaN becomes 0
        Images.write(Tensor.of(new float[] {-1, 2, Float.NaN, 0.5f}, 1, 2, 2), p);
        assertArrayEquals(new float[] {0, 1, 0, 128 / 255f}, Images.readTensor(p).toFloatArray(), 1e-6f);
    }

    @Test
    void badInputsNameTheProblem() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.write(Tensor.zeros(2, 4, 4), tmp.resolve("x.png")));
        assertTrue(e.getMessage().contains("C = 1 or 3") && e.getMessage().contains("[2, 4, 4]"), e.getMessage());
        Path junk = Files.writeString(tmp.resolve("junk.png"), "not an image");
        IOException io = assertThrows(IOException.class, () -> Images.read(junk));
        assertTrue(io.getMessage().contains("junk.png"), io.getMessage());
        assertThrows(IOException.class, () -> Images.read(tmp.resolve("missing.png")));
        IOException ext = assertThrows(IOException.class, () -> Images.write(Tensor.zeros(1, 2, 2), tmp.resolve("noext")));
        assertTrue(ext.getMessage().contains("no extension"), ext.getMessage());
    }

    @Test
    void writeFailuresNameTheFileAndFilesGetOrdinaryPermissions() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file, not a directory");
        Path f = blocker.resolve("x.png");
        IOException e = assertThrows(IOException.class, () -> Images.write(Tensor.zeros(1, 2, 2), f));
        assertTrue(e.getMessage().contains("Images.write") && e.getMessage().contains(f.toString()), e.getMessage());
        IOException fmt = assertThrows(IOException.class, () -> Images.write(Tensor.zeros(1, 2, 2), tmp.resolve("x.xyz")));
        assertTrue(fmt.getMessage().contains("no ImageIO writer for format 'xyz'"), fmt.getMessage());
        Path p = tmp.resolve("perm.png");
        Images.write(Tensor.zeros(1, 2, 2), p);
        assertEquals(Fixtures.ordinaryPermissions(tmp), Fixtures.permissions(p));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("blocker", "perm.png"), s.map(q -> q.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void makeGridLayoutLikeTorchvision() {
        // 5 one-channel 2x3 images with values 1..5, nrow 2 -> 3 rows x 2 columns
        float[] v = new float[5 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 6 + 1;
        }
        Tensor batch = Tensor.of(v, 5, 1, 2, 3);
        Tensor grid = Images.makeGrid(batch, 2, 2, false, 0);
        assertArrayEquals(new int[] {3, 3 * 4 + 2, 2 * 5 + 2}, grid.shape());
        assertEquals(0, grid.get(0, 0, 0), 0);
        assertEquals(1, grid.get(0, 2, 2), 0);
        assertEquals(2, grid.get(2, 2, 7), 0);
        assertEquals(3, grid.get(1, 6, 2), 0);
        assertEquals(5, grid.get(0, 10, 4), 0);
        assertEquals(0, grid.get(0, 10, 7), 0);   // empty sixth cell
        Tensor norm = Images.makeGrid(batch, 8, 2, true, 0);
        assertArrayEquals(new int[] {3, 6, 27}, norm.shape());
        assertEquals(0.0, norm.get(0, 2, 2), 1e-6);
        assertEquals(1.0, norm.get(0, 2, 22), 1e-6);
        assertEquals(0.25, norm.get(0, 2, 7), 1e-6);
        Tensor single = Images.makeGrid(gradient(3, 4, 4).unsqueeze(0), 8, 2, false, 0);
        assertArrayEquals(new int[] {3, 4, 4}, single.shape());
        assertThrows(IllegalArgumentException.class, () -> Images.makeGrid(Tensor.zeros(2, 2, 4, 4), 8, 2, false, 0));
    }

    @Test
    void saveImageGridWritesPng() throws IOException {
        int n = 16;
        float[] v = new float[n * 3 * 20 * 20];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 20; x++) {
                        double r = Math.hypot(x - 9.5, y - 9.5);
                        v[((k * 3 + c) * 20 + y) * 20 + x] = (float) (Math.cos(r * (0.3 + 0.05 * k) + c) * 2 - 0.5);
                    }
                }
            }
        }
        Path p = tmp.resolve("grid.png");
        Images.saveImageGrid(Tensor.of(v, n, 3, 20, 20), p, 4, true);
        Tensor back = Images.read(p);
        assertArrayEquals(new int[] {4 * 22 + 2, 4 * 22 + 2, 3}, back.shape());
        assertEquals(0, (int) back.get(0, 0, 0));
        String keep = System.getProperty("kasane.test.keepImages");
        if (keep != null) {
            Files.copy(p, Path.of(keep).resolve("grid.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(DType.U8, back.dtype());
    }

    /** The U8 values of {@code t} as signed bytes, in row-major order. */
    private static byte[] toBytes(Tensor t) {
        int[] v = t.contiguous().toIntArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
