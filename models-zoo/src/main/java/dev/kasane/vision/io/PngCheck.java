package dev.kasane.vision.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks a PNG file's structure before ImageIO decodes it, since ImageIO checks no chunk CRC and decodes truncated or
 * short image data without a word. One streaming pass, in constant memory: the signature; every chunk's CRC-32; IHDR
 * first, with valid fields; consecutive IDAT chunks whose zlib stream is complete (Adler-32 included) and inflates to
 * exactly the bytes that the header's size, colour type, bit depth and interlacing need; IEND last. Bytes after IEND
 * are ignored, as libpng and PIL do.
 */
final class PngCheck {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Adam7 passes: x start, y start, x step, y step. */
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4},
        {1, 0, 2, 2}, {0, 1, 1, 2}};

    private final Path file;
    private final DataInputStream in;
    private final byte[] buf = new byte[1 << 16];
    private final byte[] sink = new byte[1 << 16];
    private final Inflater inflater = new Inflater();
    private long position;
    private long expected = -1;
    private long inflated;

    private PngCheck(Path file, DataInputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Checks {@code file} as the class description says.
     *
     * @throws IOException naming the file and the fault
     */
    static void verify(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            PngCheck check = new PngCheck(file, in);
            try {
                check.run();
            } finally {
                check.inflater.end();
            }
        }
    }

    private IOException fault(String what) {
        return new IOException("Images.read: corrupt PNG " + file + ": " + what);
    }

    private void read(byte[] b, int len) throws IOException {
        try {
            in.readFully(b, 0, len);
        } catch (EOFException e) {
            throw fault("truncated: the file ends within the " + len + " bytes at byte " + position
                    + ", before its IEND chunk");
        }
        position += len;
    }

    private int readInt() throws IOException {
        read(buf, 4);
        return ((buf[0] & 0xFF) << 24) | ((buf[1] & 0xFF) << 16) | ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
    }

    private void run() throws IOException {
        read(buf, SIGNATURE.length);
        if (!Arrays.equals(Arrays.copyOf(buf, SIGNATURE.length), SIGNATURE)) {
            throw fault("bad signature");
        }
        boolean seenIdat = false;
        boolean idatEnded = false;
        for (int index = 0; ; index++) {
            long start = position;
            int length = readInt();
            if (length < 0) {
                throw fault("chunk " + index + " at byte " + start + " declares a length over 2^31-1");
            }
            CRC32 crc = new CRC32();
            read(buf, 4);
            crc.update(buf, 0, 4);
            String type = new String(buf, 0, 4, StandardCharsets.ISO_8859_1);
            if ((index == 0) != type.equals("IHDR")) {
                throw fault(index == 0 ? "the first chunk is " + printable(type) + ", not IHDR" : "a second IHDR chunk");
            }
            boolean idat = type.equals("IDAT");
            if (idat && idatEnded) {
                throw fault("IDAT chunks are not consecutive (another IDAT at byte " + start + ")");
            }
            seenIdat |= idat;
            idatEnded |= seenIdat && !idat;
            byte[] ihdr = null;
            if (type.equals("IHDR")) {
                if (length != 13) {
                    throw fault("IHDR has length " + length + ", not 13");
                }
                read(buf, 13);
                crc.update(buf, 0, 13);
                ihdr = Arrays.copyOf(buf, 13);
            } else {
                for (int left = length; left > 0; ) {
                    int n = Math.min(left, buf.length);
                    read(buf, n);
                    crc.update(buf, 0, n);
                    if (idat) {
                        inflate(n);
                    }
                    left -= n;
                }
            }
            int stored = readInt();
            if (stored != (int) crc.getValue()) {
                throw fault(String.format("chunk %d (%s) at byte %d fails its CRC check (stored %08x, computed %08x)",
                        index, printable(type), start, stored, crc.getValue()));
            }
            if (ihdr != null) {
                expected = imageDataBytes(ihdr);
            }
            if (type.equals("IEND")) {
                break;
            }
        }
        if (!seenIdat) {
            throw fault("no IDAT chunk (no image data)");
        }
        if (!inflater.finished() || inflated != expected) {
            throw fault("the image data is short: it " + (inflater.finished() ? "holds" : "ends, unfinished, after")
                    + " " + inflated + " of the " + expected + " bytes the header needs");
        }
    }

    private void inflate(int n) throws IOException {
        if (inflater.finished()) {
            return; // data after the end of the zlib stream is ignored, as libpng does
        }
        inflater.setInput(buf, 0, n);
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int k = inflater.inflate(sink);
                if (k == 0 && inflater.needsDictionary()) {
                    throw fault("the image data's zlib stream asks for a preset dictionary");
                }
                inflated += k;
                if (inflated > expected) {
                    throw fault("the image data inflates to more than the " + expected + " bytes the header needs");
                }
            }
        } catch (DataFormatException e) {
            throw fault("the image data is not a valid zlib stream: " + e.getMessage());
        }
    }

    /** The filtered image data's size (a filter byte per row) that IHDR's fields require, after checking them. */
    private long imageDataBytes(byte[] h) throws IOException {
        long width = readU32(h, 0);
        long height = readU32(h, 4);
        int depth = h[8] & 0xFF;
        int color = h[9] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw fault("IHDR size " + width + "x" + height + " is out of range");
        }
        int channels;
        switch (color) {
            case 0: channels = 1; break;
            case 2: channels = 3; break;
            case 3: channels = 1; break;
            case 4: channels = 2; break;
            case 6: channels = 4; break;
            default: throw fault("IHDR colour type " + color + " is not 0, 2, 3, 4 or 6");
        }
        boolean depthOk = depth == 8 || (depth == 16 && color != 3) || ((depth == 1 || depth == 2 || depth == 4)
                && (color == 0 || color == 3));
        if (!depthOk) {
            throw fault("IHDR bit depth " + depth + " is not allowed with colour type " + color);
        }
        if (h[10] != 0 || h[11] != 0 || (h[12] != 0 && h[12] != 1)) {
            throw fault("IHDR compression " + h[10] + ", filter " + h[11] + " or interlace " + h[12] + " is unknown");
        }
        int bitsPerPixel = channels * depth;
        if (h[12] == 0) {
            return rowsBytes(width, height, bitsPerPixel);
        }
        long total = 0;
        for (int[] p : ADAM7) {
            long w = (width - p[0] + p[2] - 1) / p[2];
            long hh = (height - p[1] + p[3] - 1) / p[3];
            if (w > 0 && hh > 0) {
                total += rowsBytes(w, hh, bitsPerPixel);
            }
        }
        return total;
    }

    private static long rowsBytes(long width, long height, int bitsPerPixel) {
        return height * (1 + (width * bitsPerPixel + 7) / 8);
    }

    private static long readU32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
                ? type : "a chunk of invalid type " + Arrays.toString(type.getBytes(StandardCharsets.ISO_8859_1));
    }
}
