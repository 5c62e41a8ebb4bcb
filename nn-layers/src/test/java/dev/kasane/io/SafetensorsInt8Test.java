package dev.kasane.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I8 tensors: I32 values written as one byte each and read back widened to I32. */
class SafetensorsInt8Test {
    @TempDir
    Path dir;

    @Test
    void int8RoundTripsAsOneBytePerValue() throws IOException {
        Path f = dir.resolve("q.safetensors");
        Tensor w = Tensor.of(new int[] {-128, -1, 0, 1, 127, 5}, 2, 3);
        Safetensors.save(Map.of("w", w, "s", Tensor.of(new float[] {0.5f}, 1)), null, Set.of("w"), f);
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("\"w\":{\"dtype\":\"I8\",\"shape\":[2,3],\"data_offsets\":[4,10]}"), text);
        assertEquals(-128, bytes[bytes.length - 6], "the first value as a signed byte");
        Tensor back = Safetensors.load(f).get("w");
        assertEquals(DType.I32, back.dtype());
        assertArrayEquals(w.toIntArray(), back.toIntArray());
    }

    @Test
    void valuesOutsideInt8OrWrongDtypesAreRejectedBeforeWriting() {
        Path f = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(Map.of("w", Tensor.of(new int[] {128}, 1)), null, Set.of("w"), f));
        assertTrue(e.getMessage().contains("\"w\" holds 128"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(Map.of("w", Tensor.of(new float[] {1}, 1)), null, Set.of("w"), f));
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(Map.of("w", Tensor.of(new int[] {1}, 1)), null, Set.of("v"), f));
        assertFalse(Files.exists(f));
    }
}
