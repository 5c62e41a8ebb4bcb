package dev.kasane.vision.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Images#read} against hostile and corrupt files: a pixel limit checked from the header, PNG chunk CRCs, short
 * image data, and a fuzzer over every single-bit flip and truncation of small PNGs (each must decode to the original
 * pixels or give an IOException naming the file; never another exception, a large allocation or a wrong image).
 */
class ImagesReadGuardTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(Images.MAX_PIXELS_PROPERTY);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        crc.update(t);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue())
                .array();
    }

    static byte[] ihdr(int width, int height, int depth, int colorType) {
        return chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth).put((byte) colorType)
                .put(new byte[3]).array());
    }

    static byte[] zlib(byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length + 64];
        int n = d.deflate(out);
        d.end();
        return Arrays.copyOf(out, n);
    }

    /** A PNG file: the signature, then the chunks. */
    static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        for (byte[] c : chunks) {
            b.writeBytes(c);
        }
        return b.toByteArray();
    }

    private static BufferedImage rgbImage(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 40 % 256) << 16 | (y * 50 % 256) << 8 | ((x * y * 13) % 256));
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, boolean interlaced) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    @Test
    void pixelLimitIsCheckedFromTheHeaderBeforeDecoding() throws IOException {
        // a 20000x20000 RGB header (1.2 GB decoded) in a file of a few dozen bytes
        Path bomb = Files.write(tmp.resolve("bomb.png"), png(ihdr(20000, 20000, 8, 2),
                chunk("IDAT", zlib(new byte[100])), chunk("IEND", new byte[0])));
        long before = allocatedBytes();
        IOException e = assertThrows(IOException.class, () -> Images.read(bomb));
        long used = allocatedBytes() - before;
        assertTrue(e.getMessage().contains(bomb + " is 20000x20000 = 400000000 pixels, more than the limit of 89478485"),
                e.getMessage());
        assertTrue(used < 64L << 20, "allocated " + used + " bytes");

        Path small = Files.write(tmp.resolve("small.png"), encode(rgbImage(16, 12), false));
        assertArrayEquals(new int[] {12, 16, 3}, Images.read(small, Images.ColorMode.AUTO, 192).shape());
        IOException over = assertThrows(IOException.class, () -> Images.read(small, Images.ColorMode.AUTO, 191));
        assertTrue(over.getMessage().contains("16x12 = 192 pixels, more than the limit of 191"), over.getMessage());
        System.setProperty(Images.MAX_PIXELS_PROPERTY, "100");
        assertEquals(100, Images.maxPixels());
        assertThrows(IOException.class, () -> Images.read(small));
        System.setProperty(Images.MAX_PIXELS_PROPERTY, "lots");
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> Images.read(small));
        assertTrue(bad.getMessage().contains(Images.MAX_PIXELS_PROPERTY + " = 'lots'"), bad.getMessage());
        System.clearProperty(Images.MAX_PIXELS_PROPERTY);
        assertEquals(Images.DEFAULT_MAX_PIXELS, Images.maxPixels());
        assertThrows(IllegalArgumentException.class, () -> Images.read(small, Images.ColorMode.AUTO, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Images.read(small, Images.ColorMode.AUTO, Images.MAX_PIXELS_LIMIT + 1));
    }

    @Test
    void shortImageDataWithValidChecksumsIsAnError() throws IOException {
        // a 4x4 grey image whose (valid, checksummed) data holds only its first row
        byte[] oneRow = {0, 10, 20, 30, 40};
        Path f = Files.write(tmp.resolve("short.png"), png(ihdr(4, 4, 8, 0), chunk("IDAT", zlib(oneRow)),
                chunk("IEND", new byte[0])));
        IOException e = assertThrows(IOException.class, () -> Images.read(f));
        assertTrue(e.getMessage().contains("corrupt PNG " + f) && e.getMessage().contains("holds 5 of the 20 bytes"),
                e.getMessage());
        byte[] all = new byte[20];
        System.arraycopy(oneRow, 0, all, 0, 5);
        Path full = Files.write(tmp.resolve("full.png"), png(ihdr(4, 4, 8, 0), chunk("IDAT", zlib(all)),
                chunk("IEND", new byte[0])));
        assertArrayEquals(new int[] {10, 20, 30, 40}, Images.read(full).slice(0, 0, 1).contiguous().toIntArray());
    }

    @Test
    void everyLayoutOfImageDataIsSizedRight() throws IOException {
        // interlaced (Adam7) at awkward sizes, palettes of 1 to 8 bits, 16-bit grey: each must pass the size check
        for (int[] wh : new int[][] {{1, 1}, {7, 5}, {3, 9}, {17, 2}}) {
            BufferedImage img = rgbImage(wh[0], wh[1]);
            Path f = Files.write(tmp.resolve("i.png"), encode(img, true));
            assertArrayEquals(Images.fromBufferedImage(img, Images.ColorMode.RGB).toIntArray(),
                    Images.read(f, Images.ColorMode.RGB).toIntArray(), Arrays.toString(wh));
        }
        for (int type : new int[] {BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED,
            BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_INT_ARGB}) {
            BufferedImage img = new BufferedImage(9, 7, type);
            img.getGraphics().drawImage(rgbImage(9, 7), 0, 0, null);
            for (boolean interlaced : new boolean[] {false, true}) {
                Path f = Files.write(tmp.resolve("t.png"), encode(img, interlaced));
                assertArrayEquals(new int[] {7, 9, 3}, Images.read(f, Images.ColorMode.RGB).shape(), "type " + type);
            }
        }
    }

    @Test
    void everyBitFlipAndTruncationOfSmallPngsIsDecodedOrRejected() throws IOException {
        Path f = tmp.resolve("fuzz.png");
        int rejected = 0;
        for (boolean interlaced : new boolean[] {false, true}) {
            BufferedImage img = rgbImage(6, 5);
            byte[] seed = encode(img, interlaced);
            int[] pixels = Images.fromBufferedImage(img, Images.ColorMode.RGB).toIntArray();
            for (int bit = 0; bit < 8 * seed.length; bit++) {
                byte[] b = seed.clone();
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                rejected += decodesOrRejects(Files.write(f, b), pixels) ? 0 : 1;
            }
            for (int len = 0; len < seed.length; len++) {
                if (decodesOrRejects(Files.write(f, Arrays.copyOf(seed, len)), pixels)) {
                    fail("a PNG truncated to " + len + " of " + seed.length + " bytes was decoded");
                }
            }
        }
        assertTrue(rejected > 0);
    }

    /** True if {@code f} decodes to {@code pixels}, false if it is rejected with an IOException naming it. */
    private static boolean decodesOrRejects(Path f, int[] pixels) {
        long before = allocatedBytes();
        try {
            int[] got = Images.read(f, Images.ColorMode.RGB).toIntArray();
            assertArrayEquals(pixels, got, "a corrupt " + f + " decoded to other pixels");
            return true;
        } catch (IOException e) {
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            return false;
        } finally {
            long used = allocatedBytes() - before;
            assertTrue(used < 64L << 20, "reading allocated " + used + " bytes");
        }
    }
}
