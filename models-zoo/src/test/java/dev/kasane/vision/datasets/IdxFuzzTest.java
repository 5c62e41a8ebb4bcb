package dev.kasane.vision.datasets;

import dev.kasane.autograd.Tensor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupt and hostile IDX files: every single-bit flip and every truncation of a small file, raw and gzip, must give
 * either the file's correct contents or an {@link IOException} naming the file (never a bare {@link ZipException},
 * another exception, or a silently wrong array), and no read may allocate much more than the data actually present,
 * whatever size its header declares. Allocation is measured per thread, so the test holds on any heap size.
 */
class IdxFuzzTest {
    /** Most bytes one read of a small file may allocate (stream buffers and a first chunk included). */
    private static final long SMALL_READ_BYTES = 16L << 20;

    @TempDir
    Path tmp;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Reads {@code file} and returns the outcome: its bytes, or the IOException; fails on anything else. */
    private static Object readChecked(Path file, long maxAllocated) {
        long before = allocatedBytes();
        Object outcome;
        try {
            outcome = Idx.read(file, -1).toIntArray();
        } catch (IOException e) {
            assertFalse(e instanceof ZipException, () -> "bare ZipException: " + e);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            outcome = e;
        }
        long used = allocatedBytes() - before;
        assertTrue(used < maxAllocated, file + ": reading allocated " + used + " bytes");
        return outcome;
    }

    private static int[] unsigned(byte[] b, int from) {
        int[] out = new int[b.length - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = b[from + i] & 0xFF;
        }
        return out;
    }

    @Test
    void gzipHeaderDeclaringGigabytesAllocatesNothingLarge() throws IOException {
        // a 35-byte .gz whose header declares [2700000, 28, 28]: 2.1 GB
        Path tiny = Files.write(tmp.resolve("t10k-images-idx3-ubyte.gz"),
                MNISTTest.gzip(MNISTTest.idx(8, new int[] {2_700_000, 28, 28}, new byte[0])));
        assertTrue(Files.size(tiny) < 64, "size " + Files.size(tiny));
        IOException e = (IOException) readChecked(tiny, SMALL_READ_BYTES);
        assertTrue(e.getMessage().contains("cannot decompress to more than"), e.getMessage());
        // the same through FashionMNIST, with a matching 2.7 MB labels file that compresses to a few KB
        Path labels = Files.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"),
                MNISTTest.gzip(MNISTTest.idx(8, new int[] {2_700_000}, new byte[2_700_000])));
        long before = allocatedBytes();
        IOException e2 = assertThrows(IOException.class, () -> FashionMNIST.test(tmp));
        long used = allocatedBytes() - before;
        assertTrue(e2.getMessage().contains(tiny.toString()), e2.getMessage());
        assertTrue(used < 128L << 20, "FashionMNIST.test allocated " + used + " bytes for a "
                + (Files.size(tiny) + Files.size(labels)) + "-byte folder");
    }

    @Test
    void gzipDataIsReadInBoundedChunksUpToTheFirstShortfall() throws IOException {
        // header declares 784 MB; 1 MB of incompressible data follows, so the file is large enough to pass the
        // compression-ratio bound and the reader must find the shortfall by reading
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        Path f = Files.write(tmp.resolve("big-idx3-ubyte.gz"),
                MNISTTest.gzip(MNISTTest.idx(8, new int[] {1_000_000, 28, 28}, data)));
        IOException e = (IOException) readChecked(f, SMALL_READ_BYTES);
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("after " + data.length + " bytes"),
                e.getMessage());
    }

    @Test
    void corruptGzipStreamNamesTheFile() throws IOException {
        byte[] gz = MNISTTest.gzip(MNISTTest.images(2));
        gz[gz.length / 2] ^= 0x55;
        Path f = Files.write(tmp.resolve("train-images-idx3-ubyte.gz"), gz);
        IOException e = (IOException) readChecked(f, SMALL_READ_BYTES);
        assertTrue(e.getMessage().startsWith("IDX file " + f), e.getMessage());
    }

    @Test
    void everyBitFlipAndTruncationOfASmallFileIsDecodedOrRejected() throws IOException {
        byte[] data = new byte[2 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        byte[] raw = MNISTTest.idx(8, new int[] {2, 4, 5}, data);
        byte[] gz = MNISTTest.gzip(raw);
        int header = raw.length - data.length;
        int decoded = 0;
        int rejected = 0;
        for (boolean gzip : new boolean[] {false, true}) {
            byte[] seed = gzip ? gz : raw;
            Path f = tmp.resolve(gzip ? "fuzz-idx3-ubyte.gz" : "fuzz-idx3-ubyte");
            for (int bit = 0; bit < 8 * seed.length; bit++) {
                byte[] b = seed.clone();
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                Object outcome = readChecked(Files.write(f, b), SMALL_READ_BYTES);
                if (outcome instanceof int[]) {
                    // a raw file has no checksum: a flip in the data is read as it is; a gzip file decodes unchanged
                    assertArrayEquals(gzip ? unsigned(raw, header) : unsigned(b, header), (int[]) outcome,
                            (gzip ? "gzip" : "raw") + " bit " + bit);
                    assertTrue(gzip || bit >= 8 * header, "raw header bit " + bit + " was accepted");
                    decoded++;
                } else {
                    rejected++;
                }
            }
            for (int len = 0; len < seed.length; len++) {
                if (!(readChecked(Files.write(f, Arrays.copyOf(seed, len)), SMALL_READ_BYTES) instanceof IOException)) {
                    fail((gzip ? "gzip" : "raw") + " file truncated to " + len + " bytes was accepted");
                }
            }
        }
        assertTrue(decoded > 0 && rejected > 0, decoded + " decoded, " + rejected + " rejected");
    }

    @Test
    void goodFilesStillRead() throws IOException {
        Path f = Files.write(tmp.resolve("ok-idx3-ubyte.gz"), MNISTTest.gzip(MNISTTest.images(3)));
        Tensor t = Idx.read(f, 3);
        assertArrayEquals(new int[] {3, 28, 28}, t.shape());
        assertArrayEquals(unsigned(MNISTTest.images(3), 16), t.toIntArray());
    }
}
