package dev.kasane.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of TensorBoard event files written for the tests, sharing no code with the writer: its own CRC32C (bit by
 * bit, not {@code java.util.zip.CRC32C}), TFRecord framing and protocol-buffer decoder.
 */
final class EventReader {
    private EventReader() {
    }

    /** The records of a TFRecord file and the number of bytes after the last whole record. */
    record Records(List<byte[]> data, int trailingBytes) {
    }

    /** The data of every record; fails on a bad CRC or a truncated record. */
    static List<byte[]> records(Path file) throws IOException {
        return records(Files.readAllBytes(file), file.toString());
    }

    /** The data of every record of {@code bytes}, the content of {@code file}; fails as {@link #records(Path)}. */
    static List<byte[]> records(byte[] bytes, String file) {
        Records r = wholeRecords(bytes, file);
        if (r.trailingBytes() != 0) {
            throw new AssertionError(file + ": " + r.trailingBytes() + " bytes after the last whole record");
        }
        return r.data();
    }

    /** The whole records at the start of {@code file} (CRCs checked) and what follows them (a record cut short). */
    static Records wholeRecords(Path file) throws IOException {
        return wholeRecords(Files.readAllBytes(file), file.toString());
    }

    private static Records wholeRecords(byte[] bytes, String file) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 12) {
            int start = b.position();
            byte[] header = new byte[8];
            b.get(header);
            long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != maskedCrc(header)) {
                throw new AssertionError(file + ": bad length CRC at offset " + start);
            }
            if (b.remaining() < length + 4) {
                b.position(start);
                break;
            }
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != maskedCrc(data)) {
                throw new AssertionError(file + ": bad data CRC at offset " + start);
            }
            out.add(data);
        }
        return new Records(out, b.remaining());
    }

    /** The events of {@code file}, decoded. */
    static List<Msg> events(Path file) throws IOException {
        List<Msg> out = new ArrayList<>();
        for (byte[] r : records(file)) {
            out.add(Msg.parse(r));
        }
        return out;
    }

    /** The one events file in {@code dir}. */
    static Path eventFile(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            if (files.size() != 1) {
                throw new AssertionError("expected one event file in " + dir + ", found " + files);
            }
            return files.get(0);
        }
    }

    /** CRC32C, one bit at a time (reflected polynomial 0x82F63B78). */
    static int crc32c(byte[] data) {
        int c = 0xFFFFFFFF;
        for (byte x : data) {
            c ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
        }
        return ~c;
    }

    static int maskedCrc(byte[] data) {
        int c = crc32c(data);
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    /**
     * A decoded protocol-buffer message: for each field number, its values in order, as {@code Long} (varint),
     * {@link Fixed64} or {@link Fixed32} (bit patterns) or {@code byte[]} (length-delimited).
     */
    static final class Msg {
        private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

        record Fixed64(long bits) {
        }

        record Fixed32(int bits) {
        }

        static Msg parse(byte[] data) {
            Msg m = new Msg();
            int[] pos = {0};
            while (pos[0] < data.length) {
                long key = varint(data, pos);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                Object v;
                switch (wire) {
                    case 0 -> v = varint(data, pos);
                    case 1 -> v = new Fixed64(ByteBuffer.wrap(data, take(data, pos, 8), 8).order(ByteOrder.LITTLE_ENDIAN)
                            .getLong());
                    case 2 -> {
                        int n = (int) varint(data, pos);
                        int at = take(data, pos, n);
                        byte[] b = new byte[n];
                        System.arraycopy(data, at, b, 0, n);
                        v = b;
                    }
                    case 5 -> v = new Fixed32(ByteBuffer.wrap(data, take(data, pos, 4), 4).order(ByteOrder.LITTLE_ENDIAN)
                            .getInt());
                    default -> throw new AssertionError("wire type " + wire + " of field " + field);
                }
                m.fields.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
            }
            return m;
        }

        private static int take(byte[] data, int[] pos, int n) {
            if (n < 0 || pos[0] + n > data.length) {
                throw new AssertionError("a field runs past the end of its message");
            }
            int at = pos[0];
            pos[0] += n;
            return at;
        }

        private static long varint(byte[] data, int[] pos) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[take(data, pos, 1)];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new AssertionError("varint longer than 10 bytes");
        }

        boolean has(int field) {
            return fields.containsKey(field);
        }

        /** The field numbers present, in the order first seen. */
        List<Integer> fieldNumbers() {
            return new ArrayList<>(fields.keySet());
        }

        private Object last(int field) {
            List<Object> v = fields.get(field);
            if (v == null) {
                throw new AssertionError("field " + field + " is absent; fields: " + fields.keySet());
            }
            return v.get(v.size() - 1);
        }

        long varint(int field) {
            return has(field) ? (Long) last(field) : 0;
        }

        double float64(int field) {
            return has(field) ? Double.longBitsToDouble(((Fixed64) last(field)).bits()) : 0;
        }

        float float32(int field) {
            return has(field) ? Float.intBitsToFloat(((Fixed32) last(field)).bits()) : 0;
        }

        byte[] bytes(int field) {
            return has(field) ? (byte[]) last(field) : new byte[0];
        }

        String string(int field) {
            return new String(bytes(field), StandardCharsets.UTF_8);
        }

        Msg message(int field) {
            return Msg.parse(bytes(field));
        }

        List<Msg> messages(int field) {
            List<Msg> out = new ArrayList<>();
            for (Object o : fields.getOrDefault(field, List.of())) {
                out.add(Msg.parse((byte[]) o));
            }
            return out;
        }

        List<String> strings(int field) {
            List<String> out = new ArrayList<>();
            for (Object o : fields.getOrDefault(field, List.of())) {
                out.add(new String((byte[]) o, StandardCharsets.UTF_8));
            }
            return out;
        }

        /** A packed (or unpacked) {@code repeated double}. */
        double[] doubles(int field) {
            List<Double> out = new ArrayList<>();
            for (Object o : fields.getOrDefault(field, List.of())) {
                if (o instanceof Fixed64 f) {
                    out.add(Double.longBitsToDouble(f.bits()));
                } else {
                    ByteBuffer b = ByteBuffer.wrap((byte[]) o).order(ByteOrder.LITTLE_ENDIAN);
                    while (b.hasRemaining()) {
                        out.add(b.getDouble());
                    }
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
