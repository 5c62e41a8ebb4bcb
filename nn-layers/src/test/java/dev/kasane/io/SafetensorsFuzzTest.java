package dev.kasane.io;

import dev.kasane.autograd.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Throws thousands of seeded mutations of valid files at the reader: each load must finish within a time limit and
 * either succeed or throw {@link SafetensorsException}; never hang, run out of memory, or throw anything else.
 */
class SafetensorsFuzzTest {
    private static final int CASES = 4000;
    private static final String[] HEADER_EDITS = {"0", "9", "99999999999", "-1", "1e3", "\"", "{", "}", "[", "]", ",",
        ":", "\\", "\\u", "null", " ", "F16", "BF16", "U64", "__metadata__", "\u00e9", "\u0000", "2147483647",
        "4294967296", "18446744073709551616"};

    @TempDir
    Path dir;

    private static byte[] seedFile(Path dir, int which) throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        switch (which) {
            case 0:
                m.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
                m.put("b", Tensor.of(new double[] {0.5}));
                break;
            case 1:
                m.put("layer1.0.conv1.weight", Tensor.ones(2, 1, 2, 2));
                m.put("n", Tensor.of(new long[] {7}));
                m.put("m", Tensor.of(new boolean[] {true, false, true}));
                m.put("u", Tensor.ofUnsignedBytes(new byte[] {1, 2}));
                break;
            default:
                m.put("i", Tensor.of(new int[] {1, -1, 3}));
                m.put("e", Tensor.zeros(0, 2));
        }
        Path f = dir.resolve("seed" + which + ".safetensors");
        Safetensors.save(m, which == 1 ? Map.of("format", "pt") : null, f);
        return Files.readAllBytes(f);
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int kind = r.nextInt(6);
        int headerLen = (int) ByteBuffer.wrap(seed, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (kind) {
            case 0: { // bit flips anywhere
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int p = r.nextInt(b.length);
                    b[p] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1: // truncation
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 2: { // garbage appended
                byte[] g = Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
                for (int i = b.length; i < g.length; i++) {
                    g[i] = (byte) r.nextInt(256);
                }
                return g;
            }
            case 3: { // header length field rewritten
                long v;
                switch (r.nextInt(4)) {
                    case 0: v = r.nextLong(); break;
                    case 1: v = headerLen + r.nextInt(17) - 8; break;
                    case 2: v = Safetensors.MAX_HEADER_BYTES + r.nextInt(3) - 1; break;
                    default: v = r.nextInt(b.length + 8);
                }
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                return b;
            }
            case 4: { // textual edit inside the header, length field kept consistent
                String h = new String(b, 8, headerLen, StandardCharsets.UTF_8);
                int p = r.nextInt(h.length() + 1);
                int del = r.nextInt(4);
                String edit = HEADER_EDITS[r.nextInt(HEADER_EDITS.length)];
                String h2 = h.substring(0, p) + edit + h.substring(Math.min(h.length(), p + del));
                byte[] hb = h2.getBytes(StandardCharsets.UTF_8);
                ByteBuffer out = ByteBuffer.allocate(8 + hb.length + b.length - 8 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
                out.putLong(hb.length).put(hb).put(b, 8 + headerLen, b.length - 8 - headerLen);
                return out.array();
            }
            default: { // a digit in the header replaced by a random number
                String h = new String(b, 8, headerLen, StandardCharsets.UTF_8);
                int[] digits = h.chars().map(c -> c).toArray();
                int p = r.nextInt(h.length());
                for (int i = 0; i < h.length(); i++) {
                    int q = (p + i) % h.length();
                    if (Character.isDigit(digits[q])) {
                        p = q;
                        break;
                    }
                }
                String num = r.nextBoolean() ? Long.toString(r.nextInt(100)) : Long.toString(Math.abs(r.nextLong()));
                String h2 = h.substring(0, p) + num + h.substring(p + 1);
                byte[] hb = h2.getBytes(StandardCharsets.UTF_8);
                ByteBuffer out = ByteBuffer.allocate(8 + hb.length + b.length - 8 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
                out.putLong(hb.length).put(hb).put(b, 8 + headerLen, b.length - 8 - headerLen);
                return out.array();
            }
        }
    }

    @Test
    void mutatedFilesAreLoadedOrRejectedCleanly() throws Exception {
        byte[][] seeds = {seedFile(dir, 0), seedFile(dir, 1), seedFile(dir, 2)};
        Random r = new Random(20240611L);
        ExecutorService ex = Executors.newSingleThreadExecutor(run -> {
            Thread t = new Thread(run, "fuzz-loader");
            t.setDaemon(true);
            return t;
        });
        Path f = dir.resolve("fuzz.safetensors");
        int rejected = 0;
        int loaded = 0;
        try {
            for (int i = 0; i < CASES; i++) {
                byte[] data = mutate(seeds[r.nextInt(seeds.length)], r);
                Files.write(f, data);
                Future<?> result = ex.submit(() -> Safetensors.loadWithMetadata(f));
                try {
                    result.get(5, TimeUnit.SECONDS);
                    loaded++;
                } catch (TimeoutException e) {
                    result.cancel(true);
                    fail("case " + i + ": load did not finish in 5 s; file: " + Arrays.toString(data));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof SafetensorsException)) {
                        throw new AssertionError("case " + i + ": unexpected " + e.getCause() + "; file: "
                                + Arrays.toString(data), e.getCause());
                    }
                    assertTrue(e.getCause().getMessage().startsWith(f.toString()), e.getCause().getMessage());
                    rejected++;
                }
            }
        } finally {
            ex.shutdownNow();
        }
        assertTrue(rejected > CASES / 2, "rejected " + rejected);
        assertTrue(loaded > 0, "loaded " + loaded);
    }
}
