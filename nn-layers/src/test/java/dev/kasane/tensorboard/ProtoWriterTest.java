package dev.kasane.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The encoder against bytes worked out from the protobuf encoding specification. */
class ProtoWriterTest {
    private static String hex(ProtoWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void varintsAsInTheSpecification() {
        assertEquals("089601", hex(new ProtoWriter().int64(1, 150)));       // the specification's example
        assertEquals("1001", hex(new ProtoWriter().int64(2, 1)));
        assertEquals("a006ffffffffffffffffff01", hex(new ProtoWriter().int64(100, -1)));   // two-byte key, ten-byte value
        assertEquals("", hex(new ProtoWriter().int64(1, 0)), "a default value is not written");
        assertEquals("0800", hex(new ProtoWriter().oneofInt64(1, 0)), "a oneof member is written even when 0");
        assertEquals("2000", hex(new ProtoWriter().oneofBool(4, false)));
    }

    @Test
    void fixedWidthNumbersAreLittleEndian() {
        assertEquals("09000000000000f03f", hex(new ProtoWriter().float64(1, 1.0)));
        assertEquals("", hex(new ProtoWriter().float64(1, 0.0)));
        assertEquals("090000000000000080", hex(new ProtoWriter().float64(1, -0.0)), "-0.0 is not the default");
        assertEquals("150000c03f", hex(new ProtoWriter().oneofFloat32(2, 1.5f)));
        assertEquals("1500000000", hex(new ProtoWriter().oneofFloat32(2, 0f)));
        assertEquals("3210" + "000000000000f03f" + "0000000000000040",
                hex(new ProtoWriter().packedFloat64(6, new double[] {1, 2})));
        assertEquals("", hex(new ProtoWriter().packedFloat64(6, new double[0])));
    }

    @Test
    void stringsBytesAndMessagesAreLengthDelimited() {
        assertEquals("0a08746573746963c3a9", hex(new ProtoWriter().string(1, "testic\u00e9")), "UTF-8, length in bytes");
        assertEquals("", hex(new ProtoWriter().string(1, "")));
        assertEquals("4200", hex(new ProtoWriter().oneofString(8, "")));
        assertEquals("1a03089601", hex(new ProtoWriter().message(3, new ProtoWriter().int64(1, 150))));  // spec's example
        assertEquals("2a00", hex(new ProtoWriter().message(5, new ProtoWriter())), "an empty message is present");
        assertArrayEquals(new byte[] {0x22, 2, 7, 8}, new ProtoWriter().bytes(4, new byte[] {7, 8}).toByteArray());
    }
}
