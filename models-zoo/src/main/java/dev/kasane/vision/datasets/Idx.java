package dev.kasane.vision.datasets;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files, the format of the MNIST family: a 4-byte magic number ({@code 0x00 0x00}, a type code, the
 * number of dimensions), then one big-endian 32-bit size per dimension, then the elements in row-major order. Files
 * whose name ends in {@code .gz} are decompressed on the fly.
 *
 * <p>Only the unsigned-byte element type ({@code 0x08}), the one used by MNIST and Fashion-MNIST, is supported. Every
 * header is validated before the data is allocated: a bad magic number, an unsupported type, a wrong number of
 * dimensions, a zero or absurd size, a raw file whose length disagrees with its header, a gzip file too small to
 * decompress to what its header declares, a corrupt gzip stream, a truncated stream or trailing bytes all give an
 * {@link IOException} that names the file and the fault. The data of a gzip file is read in chunks, so memory grows
 * with the data actually present, not with the size a corrupt header claims.
 *
 * <pre>{@code
 * Tensor images = Idx.read(Path.of("train-images-idx3-ubyte.gz"), 3);   // U8 [60000, 28, 28]
 * }</pre>
 */
public final class Idx {
    /** The IDX type code of unsigned bytes. */
    public static final int TYPE_UBYTE = 0x08;
    /** Largest accepted size of one dimension. */
    public static final int MAX_DIM = 1 << 24;
    /** Largest accepted number of elements in one file. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;
    /** Deflate's largest compression ratio (a 258-byte match in about 2 bits): a bound on what a gzip file holds. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** The first allocation for the data of a gzip file, which then doubles as data arrives. */
    static final int CHUNK_BYTES = 1 << 20;

    private Idx() {
    }

    /**
     * The parsed header of an IDX file.
     *
     * @param file the file it was read from
     * @param type the element type code (0x08 for unsigned bytes)
     * @param dims the size of each dimension
     */
    public record Header(Path file, int type, int[] dims) {
        /** A header; {@code dims} is copied. */
        public Header {
            dims = dims.clone();
        }

        /** The size of each dimension (a copy). */
        @Override
        public int[] dims() {
            return dims.clone();
        }

        /** Number of elements: the product of the dimensions. */
        public long numel() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        /** Byte length of the header: 4 + 4 per dimension. */
        public int headerBytes() {
            return 4 + 4 * dims.length;
        }

        /** "file: type 0x08, dims [60000, 28, 28]". */
        @Override
        public String toString() {
            return file + ": type 0x" + String.format("%02x", type) + ", dims " + Arrays.toString(dims);
        }
    }

    /**
     * Reads and validates only the header of an IDX file.
     *
     * @param file an IDX file, gzip-compressed if its name ends in {@code .gz}
     * @param expectedDims the number of dimensions the caller needs (3 for images, 1 for labels), or -1 for any
     * @throws IOException if the file cannot be read or the header is invalid
     */
    public static Header readHeader(Path file, int expectedDims) throws IOException {
        try (DataInputStream in = open(file)) {
            return parseHeader(in, file, expectedDims);
        }
    }

    /**
     * Reads an unsigned-byte IDX file into a U8 tensor on the CPU, shaped as the header says.
     *
     * @param file an IDX file, gzip-compressed if its name ends in {@code .gz}
     * @param expectedDims the number of dimensions required, or -1 for any
     * @throws IOException if the file cannot be read, is corrupt or truncated, or is not of the unsigned-byte type
     */
    public static Tensor read(Path file, int expectedDims) throws IOException {
        try (DataInputStream in = open(file)) {
            Header h = parseHeader(in, file, expectedDims);
            byte[] data = readBody(in, h);
            return Function.tensor(NDArray.fromHost(data, DType.U8, Device.CPU, h.dims));
        }
    }

    /**
     * Reads the data that follows an already-parsed header, checking length and trailing bytes. Memory grows with the
     * data actually read (in chunks of at most {@value #CHUNK_BYTES} bytes at first, doubling), never with what a
     * corrupt header claims: a raw file's length must match its header, and a gzip file must be large enough to
     * decompress to it.
     */
    static byte[] readBody(DataInputStream in, Header h) throws IOException {
        long n = h.numel();
        long expected = h.headerBytes() + n;
        long size = Files.size(h.file);
        boolean gzip = isGzip(h.file);
        if (gzip ? expected > size * MAX_DEFLATE_RATIO : size != expected) {
            throw new IOException("IDX file " + h.file + ": header says dims " + Arrays.toString(h.dims) + " ("
                    + expected + " bytes with the header), but the file has " + size + " bytes"
                    + (gzip ? ", which cannot decompress to more than " + size * MAX_DEFLATE_RATIO + " (truncated?)"
                    : size < expected ? " (truncated?)" : " (trailing data)"));
        }
        byte[] data = new byte[(int) (gzip ? Math.min(n, CHUNK_BYTES) : n)];
        int read = 0;
        try {
            while (read < n) {
                if (read == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
                }
                int r = in.read(data, read, data.length - read);
                if (r < 0) {
                    throw new IOException("IDX file " + h.file + " is truncated: header says dims " + Arrays.toString(h.dims)
                            + " (" + n + " data bytes), but the data ends after " + read + " bytes");
                }
                read += r;
            }
            if (in.read() >= 0) {
                throw new IOException("IDX file " + h.file + " has trailing data after the " + n + " bytes its header "
                        + "(dims " + Arrays.toString(h.dims) + ") announces");
            }
        } catch (EOFException | ZipException e) {
            throw new IOException("IDX file " + h.file + " is truncated or its compressed stream is corrupt after " + read
                    + " of " + n + " data bytes: " + e.getMessage(), e);
        }
        return data;
    }

    static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (isGzip(file)) {
            try {
                raw = new GZIPInputStream(raw, 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw new IOException("IDX file " + file + " is named .gz but is not a valid gzip stream: " + e.getMessage(), e);
            }
        }
        return new DataInputStream(raw);
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    static Header parseHeader(DataInputStream in, Path file, int expectedDims) throws IOException {
        byte[] magic = new byte[4];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException("IDX file " + file + " is too short to hold the 4-byte magic number", e);
        } catch (ZipException e) {
            throw corruptGzip(file, e);
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(String.format("IDX file %s: bad magic number 0x%02x%02x%02x%02x (must start with 0x0000;"
                    + " is this an IDX file? a gzip file not named .gz?)", file, magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        int nd = magic[3] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new IOException(String.format("IDX file %s: unsupported element type 0x%02x (only unsigned bytes, 0x08,"
                    + " are supported)", file, type));
        }
        if (nd == 0 || (expectedDims >= 0 && nd != expectedDims)) {
            throw new IOException("IDX file " + file + ": header has " + nd + " dimensions, expected "
                    + (expectedDims >= 0 ? expectedDims : "at least 1"));
        }
        int[] dims = new int[nd];
        long numel = 1;
        for (int i = 0; i < nd; i++) {
            long d;
            try {
                d = in.readInt() & 0xFFFFFFFFL;
            } catch (EOFException e) {
                throw new IOException("IDX file " + file + " is truncated in its header (dimension " + i + " of " + nd + ")", e);
            } catch (ZipException e) {
                throw corruptGzip(file, e);
            }
            if (d == 0 || d > MAX_DIM) {
                throw new IOException("IDX file " + file + ": absurd size " + d + " for dimension " + i
                        + " (must be in 1.." + MAX_DIM + ")");
            }
            dims[i] = (int) d;
            numel *= d;
            if (numel > MAX_ELEMENTS) {
                throw new IOException("IDX file " + file + ": header dims " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " give more than " + MAX_ELEMENTS + " elements");
            }
        }
        return new Header(file, type, dims);
    }

    private static IOException corruptGzip(Path file, ZipException e) {
        return new IOException("IDX file " + file + ": corrupt gzip stream: " + e.getMessage(), e);
    }
}
