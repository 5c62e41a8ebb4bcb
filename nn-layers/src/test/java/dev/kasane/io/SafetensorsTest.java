package dev.kasane.io;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new HashMap<>();
        m.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1)); // non-contiguous view
        m.put("d", Tensor.of(new double[] {Math.PI, -0.0, Double.MIN_VALUE}));
        m.put("i", Tensor.of(new int[] {Integer.MIN_VALUE, 7}));
        m.put("l", Tensor.of(new long[] {Long.MAX_VALUE}).reshape());
        m.put("u", Tensor.ofUnsignedBytes(new byte[] {0, (byte) 200, (byte) 255}));
        m.put("b", Tensor.of(new boolean[] {true, false}));
        m.put("e", Tensor.zeros(0, 4));
        return m;
    }

    @Test
    void roundTripsEveryDtype() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Map<String, Tensor> in = sample();
        Safetensors.save(in, Map.of("format", "pt"), f);
        SafetensorsFile out = Safetensors.loadWithMetadata(f);
        assertEquals(Map.of("format", "pt"), out.metadata());
        assertEquals(in.keySet(), out.tensors().keySet());
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor a = e.getValue();
            Tensor b = out.tensors().get(e.getKey());
            assertEquals(a.dtype(), b.dtype(), e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            assertEquals(Device.CPU, b.device());
            assertArrayEquals(a.toLongArray(), b.toLongArray(), e.getKey());
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0.0, e.getKey());
        }
        assertEquals(Long.MAX_VALUE, out.tensors().get("l").itemLong());
        assertEquals(0, out.tensors().get("l").dim());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out.tensors().get("w").toFloatArray());
    }

    @Test
    void headerIsLaidOutAsTheReferenceWriterDoes() throws IOException {
        Path f = dir.resolve("h.safetensors");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z", Tensor.of(new boolean[] {true}));
        m.put("b", Tensor.of(new float[] {1}));
        m.put("a", Tensor.of(new float[] {2}));
        m.put("c", Tensor.of(new long[] {3}));
        Safetensors.save(m, f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},"
                + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[16,17]}}", header.stripTrailing());
        assertEquals(8 + n + 17, bytes.length);
        // load keeps the header order
        assertEquals(List.of("c", "a", "b", "z"), List.copyOf(Safetensors.load(f).keySet()));
    }

    @Test
    void emptyFileMatchesReference() throws IOException {
        // safetensors' own test_empty: serialize({}, None) and serialize({}, {"framework": "pt"})
        Path f = dir.resolve("e.safetensors");
        Safetensors.save(Map.of(), f);
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, Files.readAllBytes(f));
        Safetensors.save(Map.of(), Map.of("framework", "pt"), f);
        byte[] expected = {40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58,
            123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32};
        assertArrayEquals(expected, Files.readAllBytes(f));
        assertTrue(Safetensors.load(f).isEmpty());
        assertEquals(Map.of("framework", "pt"), Safetensors.loadWithMetadata(f).metadata());
    }

    @Test
    void referenceSerializationTest() throws IOException {
        // safetensors' own test_serialization: "attn.0" F32 [1, 2, 3] = 0..5
        Path f = dir.resolve("r.safetensors");
        Safetensors.save(Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), f);
        byte[] expected = {64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121,
            112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44,
            34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0,
            0, 0, 0, (byte) 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0, (byte) 160, 64};
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.save(Map.of("a", Tensor.of(new float[] {1})), f);
        Safetensors.save(Map.of("a", Tensor.of(new float[] {2})), f);
        assertEquals(2f, Safetensors.load(f).get("a").item());
        byte[] before = Files.readAllBytes(f);
        Map<String, Tensor> bad = new HashMap<>();
        bad.put("a", Tensor.of(new float[] {3}));
        bad.put("b", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.save(bad, f));
        assertArrayEquals(before, Files.readAllBytes(f));
        Path nowhere = dir.resolve("missing-dir").resolve("x.safetensors");
        IOException e = assertThrows(IOException.class, () -> Safetensors.save(Map.of("a", Tensor.of(new float[] {3})),
                nowhere));
        assertTrue(e.getMessage().contains("Safetensors.save: cannot write " + nowhere), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("ckpt.safetensors"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void saveRemovesTheTemporaryFilesThatKilledSavesLeft() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Path stale = Files.writeString(dir.resolve(".ckpt.safetensors.5e2a9c03d1f4b6e7.tmp"), "killed mid-save");
        Path other = Files.writeString(dir.resolve(".other.safetensors.5e2a9c03d1f4b6e7.tmp"), "another file's");
        Safetensors.save(Map.of("a", Tensor.of(new float[] {1})), f);
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(other));
        assertEquals(1f, Safetensors.load(f).get("a").item());
    }

    @Test
    void saveChecksArguments() {
        Path f = dir.resolve("x.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(Map.of("__metadata__", Tensor.zeros(1)), f));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(Map.of("bad\ud800", Tensor.zeros(1)), f));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        assertTrue(Files.notExists(f));
    }

    @Test
    void utf8NameOrderIsCodePointOrder() {
        // U+FF5E sorts before U+1F600 in UTF-8/code points, after it in UTF-16 code units
        assertTrue(Safetensors.compareUtf8("\uff5e", "\ud83d\ude00") < 0);
        assertTrue("\uff5e".compareTo("\ud83d\ude00") > 0);
        assertTrue(Safetensors.compareUtf8("a", "ab") < 0);
        assertEquals(0, Safetensors.compareUtf8("ab", "ab"));
    }

    // ------------------------------------------------------------------------------------------ bad files

    private Path file(String header, byte[] data) throws IOException {
        return file(header, data, null);
    }

    private Path file(String header, byte[] data, Long declaredLength) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength != null ? declaredLength : h.length).put(h).put(data);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void rejects(Path f, String fault) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fault), "expected '" + fault + "' in: " + e.getMessage());
        assertEquals(f, e.file());
    }

    private static String t(String name, String dtype, String shape, long b, long e) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + b + "," + e + "]}";
    }

    @Test
    void rejectsBadFiles() throws IOException {
        byte[] d8 = new byte[8];
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        rejects(tiny, "too short");
        rejects(file("{}", new byte[0], 1L << 40), "exceeds the limit");
        rejects(file("{}", new byte[0], -1L), "exceeds the limit");
        rejects(file("{}", new byte[0], 100L), "runs past the end");
        rejects(file("[]", new byte[0]), "start with '{'");
        rejects(file("{\"a\":", new byte[0]), "not valid JSON");
        rejects(file("{\"a\":{},}", new byte[0]), "not valid JSON");
        rejects(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("a", "F32", "[2]", 0, 8) + "}", d8), "duplicate key");
        rejects(file("{" + t("a", "F33", "[2]", 0, 8) + "}", d8), "unknown dtype \"F33\"");
        rejects(file("{" + t("a", "U64", "[1]", 0, 8) + "}", d8), "unsupported dtype U64");
        rejects(file("{" + t("a", "F32", "[3]", 0, 8) + "}", d8), "needs 12");
        rejects(file("{" + t("a", "F32", "[-2]", 0, 8) + "}", d8), "invalid dimension -2");
        rejects(file("{" + t("a", "F32", "[2.0]", 0, 8) + "}", d8), "invalid dimension");
        rejects(file("{" + t("a", "F32", "[65536,65536]", 0, 8) + "}", d8), "more than");
        rejects(file("{" + t("big.empty", "F32", "[65536,65536,0]", 0, 0) + "}", new byte[0]),
                "tensor \"big.empty\": shape [65536, 65536, 0] has more than 2147483639 elements in its non-zero");
        rejects(file("{" + t("a", "F32", "[99999999999999999999]", 0, 8) + "}", d8), "invalid dimension");
        rejects(file("{" + t("a", "F32", "[2]", 0, 16) + "}", d8), "run past the data section");
        rejects(file("{" + t("a", "F32", "[2]", 8, 0) + "}", d8), "end before they begin");
        rejects(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 2, 6) + "}", d8), "overlap");
        rejects(file("{" + t("a", "F32", "[1]", 4, 8) + "}", d8), "gap");
        rejects(file("{" + t("a", "F32", "[1]", 0, 4) + "}", d8), "the data section holds 8 bytes");
        rejects(file("{" + t("a", "BOOL", "[2]", 0, 2) + "}", new byte[] {1, 2}), "must be 0 or 1");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", d8), "missing field \"data_offsets\"");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", d8), "unknown field");
        rejects(file("{\"a\":[1]}", d8), "not a JSON object");
        rejects(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "not a string");
        rejects(file("{\"__metadata__\":[]}", new byte[0]), "not an object");
        rejects(file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", new byte[0]), "nested deeper");
        rejects(file("{\"a\\ud800\":1}", new byte[0]), "surrogate");
        Path nonUtf8 = file("{\"a\":1}", new byte[0]);
        byte[] raw = Files.readAllBytes(nonUtf8);
        raw[10] = (byte) 0xC3; // a lone UTF-8 lead byte in place of 'a'
        Files.write(nonUtf8, raw);
        rejects(nonUtf8, "not valid UTF-8");
    }

    @Test
    void acceptsNullMetadataPaddingAndAnyHeaderOrder() throws IOException {
        Path f = file("{\"__metadata__\":null," + t("b", "I32", "[1]", 4, 8) + "," + t("a", "I32", "[1]", 0, 4) + "}   ",
                new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        SafetensorsFile s = Safetensors.loadWithMetadata(f);
        assertEquals(List.of("b", "a"), List.copyOf(s.tensors().keySet()));
        assertEquals(2, s.tensors().get("b").itemLong());
        assertEquals(1, s.tensors().get("a").itemLong());
        assertEquals(DType.I32, s.tensors().get("a").dtype());
        assertTrue(s.metadata().isEmpty());
    }
}
