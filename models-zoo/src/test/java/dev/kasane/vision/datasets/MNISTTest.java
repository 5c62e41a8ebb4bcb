package dev.kasane.vision.datasets;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.Sample;
import dev.kasane.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MNISTTest {
    @TempDir
    Path tmp;

    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] images(int n) {
        byte[] d = new byte[n * 28 * 28];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 7 + i / 784);
        }
        return idx(8, new int[] {n, 28, 28}, d);
    }

    static byte[] labels(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) ((i * 3) % 10);
        }
        return idx(8, new int[] {n}, d);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(raw);
        }
        return bos.toByteArray();
    }

    Path write(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void readsRawAndGzipSplits() throws IOException {
        write(tmp, "train-images-idx3-ubyte", images(5));
        write(tmp, "train-labels-idx1-ubyte", labels(5));
        write(tmp, "t10k-images-idx3-ubyte.gz", gzip(images(3)));
        write(tmp, "t10k-labels-idx1-ubyte.gz", gzip(labels(3)));
        MNIST train = MNIST.train(tmp);
        MNIST test = MNIST.test(tmp);
        assertEquals(5, train.size());
        assertEquals(3, test.size());
        assertArrayEquals(new int[] {5, 28, 28}, train.images().shape());
        assertEquals(DType.U8, train.images().dtype());
        assertEquals(DType.I64, train.labels().dtype());
        assertArrayEquals(new long[] {0, 3, 6, 9, 2}, train.labels().toLongArray());
        assertEquals(tmp, train.directory());
        // element check: raw byte i*7 + i/784 at flat index i
        assertEquals(((784 + 5) * 7 + 1) & 0xFF, (int) train.images().get(1, 0, 5));
        assertEquals(((784 + 5) * 7 + 1) & 0xFF, (int) test.images().get(1, 0, 5));

        Sample s = train.get(1);
        assertArrayEquals(new int[] {1, 28, 28}, s.input().shape());
        assertEquals(DType.F32, s.input().dtype());
        assertEquals((((784 + 5) * 7 + 1) & 0xFF) / 255.0, s.input().get(0, 0, 5), 1e-6);
        assertEquals(3, s.target().itemLong());
        assertEquals(0, s.target().dim());

        MNIST raw = train.withTransform(null);
        assertArrayEquals(new int[] {28, 28}, raw.get(0).input().shape());
        assertEquals(DType.U8, raw.get(0).input().dtype());
        assertThrows(IndexOutOfBoundsException.class, () -> train.get(5));
        assertEquals("1 - one", train.classes().get(1));
    }

    @Test
    void worksWithDataLoader() throws IOException {
        write(tmp, "train-images-idx3-ubyte", images(5));
        write(tmp, "train-labels-idx1-ubyte", labels(5));
        MNIST train = MNIST.train(tmp);
        try (var loader = DataLoader.builder(train).batchSize(2).build()) {
            int n = 0;
            for (Batch b : loader) {
                assertEquals(1, b.input().size(1));
                assertEquals(DType.I64, b.target().dtype());
                n += b.batchSize();
            }
            assertEquals(5, n);
        }
    }

    @Test
    void lookupSubdirsAndEnvironment() throws IOException {
        Path env = tmp.resolve("env");
        write(env.resolve("fashion-mnist"), "train-images-idx3-ubyte.gz", gzip(images(2)));
        write(env.resolve("fashion-mnist"), "train-labels-idx1-ubyte.gz", gzip(labels(2)));
        Path[] found = MNIST.locate(FashionMNIST.SPEC, null, true, env.toString());
        assertEquals(env.resolve("fashion-mnist").resolve("train-images-idx3-ubyte.gz"), found[0]);
        // the given directory wins over the environment; torchvision's layout is found
        Path tv = tmp.resolve("given").resolve("FashionMNIST").resolve("raw");
        write(tv, "train-images-idx3-ubyte", images(2));
        write(tv, "train-labels-idx1-ubyte", labels(2));
        found = MNIST.locate(FashionMNIST.SPEC, tmp.resolve("given"), true, env.toString());
        assertEquals(tv.resolve("train-labels-idx1-ubyte"), found[1]);
    }

    /** A spec like Fashion-MNIST's whose system directory is {@code sys}. */
    private static MNIST.Spec withSystemDir(Path sys) {
        MNIST.Spec fm = FashionMNIST.SPEC;
        return new MNIST.Spec(fm.name(), fm.subdir(), fm.torchvisionDir(), List.of(sys), fm.baseUrl(), fm.installHint(),
                fm.classes());
    }

    @Test
    void aGivenDirectoryIsUsedOrFailsNeverFallsBack() throws IOException {
        Path full = tmp.resolve("full");
        write(full, "t10k-images-idx3-ubyte", images(4));
        write(full, "t10k-labels-idx1-ubyte", labels(4));
        Path partial = tmp.resolve("partial");
        write(partial, "t10k-images-idx3-ubyte", images(2));
        MNIST.Spec spec = withSystemDir(full);
        for (String env : new String[] {null, full.toString()}) {
            FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MNIST.locate(spec, partial, false, env));
            assertTrue(e.getMessage().startsWith("FashionMNIST test split not found in the given directory " + partial),
                    e.getMessage());
            assertTrue(e.getMessage().contains("has t10k-images-idx3-ubyte but not t10k-labels-idx1-ubyte"), e.getMessage());
            assertFalse(e.getMessage().contains(full.toString()), e.getMessage());
            assertThrows(FileNotFoundException.class, () -> MNIST.locate(spec, tmp.resolve("missing"), false, env));
        }
        // $KASANE_DATA, once set, is the data directory: no fallback to the system directory either
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> MNIST.locate(spec, null, false, partial.toString()));
        assertTrue(e.getMessage().contains("$KASANE_DATA = " + partial) && !e.getMessage().contains(full.toString()),
                e.getMessage());
        // the system directory only when neither is given
        assertEquals(full.resolve("t10k-images-idx3-ubyte"), MNIST.locate(spec, null, false, null)[0]);
        assertEquals(full.resolve("t10k-images-idx3-ubyte"), MNIST.locate(spec, null, false, " ")[0]);
        // through the public API, whether or not the real data set is installed
        FileNotFoundException api = assertThrows(FileNotFoundException.class, () -> FashionMNIST.test(partial));
        assertTrue(api.getMessage().contains(partial.toString()), api.getMessage());
        assertThrows(FileNotFoundException.class, () -> FashionMNIST.train(tmp.resolve("empty-or-missing")));
    }

    @Test
    void missingFilesListEveryPlaceAndHowToGetThem() throws IOException {
        write(tmp, "train-images-idx3-ubyte", images(2));   // labels missing
        MNIST.Spec spec = withSystemDir(tmp.resolve("sys"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> MNIST.locate(spec, tmp, true, null));
        String m = e.getMessage();
        assertTrue(m.contains(tmp.toString() + " (given directory): has train-images-idx3-ubyte but not train-labels"), m);
        assertTrue(m.contains(tmp.resolve("fashion-mnist").toString()), m);
        assertTrue(m.contains(tmp.resolve("FashionMNIST").resolve("raw").toString()), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz"), m);
        FileNotFoundException e1 = assertThrows(FileNotFoundException.class,
                () -> MNIST.locate(spec, null, true, tmp.resolve("envdir").toString()));
        assertTrue(e1.getMessage().contains(tmp.resolve("envdir") + " ($KASANE_DATA): no such directory"), e1.getMessage());
        FileNotFoundException e2 = assertThrows(FileNotFoundException.class,
                () -> MNIST.locate(MNIST.MNIST_SPEC, null, false, null));
        assertTrue(e2.getMessage().contains("$KASANE_DATA is not set"), e2.getMessage());
        assertTrue(e2.getMessage().contains("/usr/share/datasets/mnist (system directory)"), e2.getMessage());
    }

    private IOException corrupt(byte[] imageFile, byte[] labelFile, String imageName) throws IOException {
        Path img = write(tmp, imageName, imageFile);
        Path lab = write(tmp, "train-labels-idx1-ubyte", labelFile);
        return assertThrows(IOException.class, () -> MNIST.readPair(img, lab, 10));
    }

    @Test
    void badMagic() throws IOException {
        byte[] f = images(2);
        f[0] = 0x1f;
        IOException e = corrupt(f, labels(2), "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("bad magic number") && e.getMessage().contains("train-images-idx3-ubyte"),
                e.getMessage());
    }

    @Test
    void wrongTypeAndDims() throws IOException {
        byte[] f = images(2);
        f[2] = 0x0D;
        assertTrue(corrupt(f, labels(2), "train-images-idx3-ubyte").getMessage().contains("unsupported element type 0x0d"));
        IOException e = corrupt(images(2), images(2), "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: header has 3 dimensions, expected 1"), e.getMessage());
    }

    @Test
    void truncatedRawAndGzip() throws IOException {
        byte[] f = images(3);
        IOException e = corrupt(Arrays.copyOf(f, f.length - 100), labels(3), "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        byte[] gz = gzip(f);
        IOException e2 = corrupt(Arrays.copyOf(gz, gz.length / 2), labels(3), "train-images-idx3-ubyte.gz");
        assertTrue(e2.getMessage().contains("train-images-idx3-ubyte.gz") && e2.getMessage().contains("truncated"),
                e2.getMessage());
        IOException e3 = corrupt(Arrays.copyOf(f, 10), labels(3), "train-images-idx3-ubyte");
        assertTrue(e3.getMessage().contains("truncated in its header"), e3.getMessage());
        IOException e4 = corrupt(new byte[2], labels(3), "train-images-idx3-ubyte");
        assertTrue(e4.getMessage().contains("too short"), e4.getMessage());
    }

    @Test
    void trailingData() throws IOException {
        byte[] f = Arrays.copyOf(images(2), images(2).length + 3);
        assertTrue(corrupt(f, labels(2), "train-images-idx3-ubyte").getMessage().contains("trailing data"));
        IOException e = corrupt(gzip(f), labels(2), "train-images-idx3-ubyte.gz");
        assertTrue(e.getMessage().contains("trailing data"), e.getMessage());
    }

    @Test
    void countsThatDisagree() throws IOException {
        IOException e = corrupt(images(3), labels(4), "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("holds 3 images") && e.getMessage().contains("holds 4 labels"), e.getMessage());
    }

    @Test
    void absurdDimsRejectedBeforeAllocation() throws IOException {
        byte[] hdr = idx(8, new int[] {-1, 28, 28}, new byte[0]);      // 4294967295 images
        IOException e = corrupt(hdr, labels(1), "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("absurd size 4294967295 for dimension 0"), e.getMessage());
        byte[] big = idx(8, new int[] {10_000_000, 28, 28}, new byte[0]);
        assertTrue(corrupt(big, labels(1), "train-images-idx3-ubyte").getMessage().contains("more than"));
        byte[] zero = idx(8, new int[] {0, 28, 28}, new byte[0]);
        assertTrue(corrupt(zero, labels(1), "train-images-idx3-ubyte").getMessage().contains("absurd size 0"));
        byte[] notMnist = idx(8, new int[] {1, 32, 32}, new byte[1024]);
        assertTrue(corrupt(notMnist, labels(1), "train-images-idx3-ubyte").getMessage().contains("must be 28x28"));
    }

    @Test
    void labelOutOfRange() throws IOException {
        byte[] l = labels(2);
        l[l.length - 1] = 12;
        IOException e = corrupt(images(2), l, "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("label 12 at index 1 is out of range for 10 classes"), e.getMessage());
    }

    @Test
    void notGzipDespiteName() throws IOException {
        IOException e = corrupt(images(2), labels(2), "train-images-idx3-ubyte.gz");
        assertTrue(e.getMessage().contains("not a valid gzip stream"), e.getMessage());
    }

    @Test
    void idxReadGeneric() throws IOException {
        Path p = write(tmp, "x.idx", idx(8, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, (byte) 200}));
        Tensor a = Idx.read(p, -1);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertEquals(200, (int) a.get(1, 2));
        assertEquals("[2, 3]", Arrays.toString(Idx.readHeader(p, 2).dims()));
    }

    @Test
    void realFashionMnist() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(dir), "dataset-fashion-mnist is not installed");
        FashionMNIST train = FashionMNIST.train(dir);
        FashionMNIST test = FashionMNIST.test(dir);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {60000, 28, 28}, train.images().shape());
        // the first labels of the official files
        assertArrayEquals(new long[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels().slice(0, 0, 10).toLongArray());
        assertArrayEquals(new long[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, test.labels().slice(0, 0, 10).toLongArray());
        assertEquals("Ankle boot", train.classes().get(train.label(0)));
        // every class appears 6000 times in training
        long[] counts = new long[10];
        for (long l : train.labels().toLongArray()) {
            counts[(int) l]++;
        }
        for (long c : counts) {
            assertEquals(6000, c);
        }
        Sample s = train.get(0);
        assertArrayEquals(new int[] {1, 28, 28}, s.input().shape());
        assertTrue(s.input().max().item() <= 1.0 && s.input().min().item() >= 0.0);
    }
}
