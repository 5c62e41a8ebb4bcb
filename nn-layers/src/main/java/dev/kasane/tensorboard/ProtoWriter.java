package dev.kasane.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffer message being encoded: fields are appended in the order written, which callers keep in field
 * number order (as protobuf's own serializers do). Singular scalar fields follow proto3's implicit presence: a
 * default value (0, false, empty) is not written; the {@code oneof...} methods write their value even when it is the
 * default, as a member of a {@code oneof} must be. Messages are always written.
 *
 * <p>Why not {@code protobuf-java}: TensorBoard's files need about a dozen small messages, all write-only; this
 * encoder is some 100 lines, whereas protobuf-java is a 1.7 MB dependency plus a {@code protoc} binary at build time.
 * Tests check the bytes against messages serialized by protobuf itself ({@code TensorBoardFixtureTest}).
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An {@code int32}, {@code int64}, {@code uint64} or enum field. */
    ProtoWriter int64(int field, long value) {
        return value == 0 ? this : oneofInt64(field, value);
    }

    /** An {@code int32}, {@code int64} or enum field in a {@code oneof} (written even when 0). */
    ProtoWriter oneofInt64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    /** A {@code bool} field in a {@code oneof} (written even when false). */
    ProtoWriter oneofBool(int field, boolean value) {
        return oneofInt64(field, value ? 1 : 0);
    }

    /** A {@code double} field. */
    ProtoWriter float64(int field, double value) {
        return value == 0 && Double.doubleToRawLongBits(value) == 0 ? this : oneofFloat64(field, value);
    }

    /** A {@code double} field in a {@code oneof} (written even when 0). */
    ProtoWriter oneofFloat64(int field, double value) {
        tag(field, FIXED64);
        fixed64(Double.doubleToRawLongBits(value));
        return this;
    }

    /** A {@code float} field in a {@code oneof} (written even when 0). */
    ProtoWriter oneofFloat32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** A {@code bytes} field. */
    ProtoWriter bytes(int field, byte[] value) {
        return value.length == 0 ? this : oneofBytes(field, value);
    }

    /** A {@code bytes} field in a {@code oneof}, or an element of a {@code repeated bytes} (written even when empty). */
    ProtoWriter oneofBytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** A {@code string} field (UTF-8). */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code string} field in a {@code oneof}, or an element of a {@code repeated string}. */
    ProtoWriter oneofString(int field, String value) {
        return oneofBytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A message field (written even when empty: message fields have explicit presence). */
    ProtoWriter message(int field, ProtoWriter message) {
        return oneofBytes(field, message.toByteArray());
    }

    /** A {@code repeated double} field, packed (proto3's default); nothing when empty. */
    ProtoWriter packedFloat64(int field, double[] values) {
        if (values.length == 0) {
            return this;
        }
        tag(field, LENGTH_DELIMITED);
        varint(8L * values.length);
        for (double v : values) {
            fixed64(Double.doubleToRawLongBits(v));
        }
        return this;
    }

    /** The encoded message. */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private void fixed64(long bits) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)));
        }
    }
}
