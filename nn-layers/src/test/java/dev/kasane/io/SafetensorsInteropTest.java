package dev.kasane.io;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Interop with PyTorch through the fixtures of {@code src/test/python/gen_io_fixtures.py}: a PyTorch-written file
 * loads with the right values, and Kasane writes the same bytes as the reference writer. Where PyTorch is installed
 * at /usr/bin/python3 and the CI variable is unset, the file Kasane wrote is also loaded and checked by PyTorch.
 */
class SafetensorsInteropTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return PyTorchFixtures.resource("io", name, "gen_io_fixtures.py");
    }

    private static double parse(String s) {
        switch (s) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(s);
        }
    }

    @Test
    void loadsAFileWrittenByPyTorch() throws Exception {
        SafetensorsFile f = Safetensors.loadWithMetadata(resource("torch_mixed.safetensors"));
        assertEquals(Map.of("format", "pt", "source", "gen_io_fixtures.py"), f.metadata());
        List<String> lines = Files.readAllLines(resource("torch_mixed.expected.txt"), StandardCharsets.UTF_8);
        assertEquals(lines.size(), f.tensors().size());
        for (String line : lines) {
            String[] p = line.split("\t", -1);
            String name = p[0];
            Tensor a = f.tensors().get(name);
            assertNotNull(a, name);
            assertEquals(DType.valueOf(p[1]), a.dtype(), name);
            int[] shape = p[2].isEmpty() ? new int[0] : java.util.Arrays.stream(p[2].split(",")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(shape, a.shape(), name);
            String[] vals = p[3].isEmpty() ? new String[0] : p[3].split(" ");
            assertEquals(vals.length, a.numel(), name);
            if (a.dtype().isFloating() || a.dtype().isHalf()) {
                double[] got = a.toDoubleArray();
                for (int i = 0; i < vals.length; i++) {
                    assertEquals(Double.doubleToLongBits(parse(vals[i])), Double.doubleToLongBits(got[i]),
                            name + "[" + i + "]: expected " + vals[i] + ", got " + got[i]);
                }
            } else {
                long[] got = a.toLongArray();
                for (int i = 0; i < vals.length; i++) {
                    assertEquals(Long.parseLong(vals[i]), got[i], name + "[" + i + "]");
                }
            }
        }
        // PyTorch's state-dict keys come back as they are, in the file's order
        assertEquals("layer1.0.bn1.num_batches_tracked", f.tensors().keySet().iterator().next());
        assertEquals(7, f.tensors().get("layer1.0.bn1.num_batches_tracked").itemLong());
    }

    /** Mirrors expected_kasane_tensors() in gen_io_fixtures.py. */
    static Map<String, Tensor> kasaneTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b.weight", Tensor.of(new float[] {-1, 0.5f, -0.5f, 1, 0, 1.5f}, 3, 2).transpose(0, 1));
        m.put("a.bias", Tensor.of(new double[] {0.1, -2.5, 1e-300}));
        m.put("steps", Tensor.of(new long[] {123456789012L}).reshape());
        m.put("idx", Tensor.of(new int[] {-1, 0, 1, Integer.MAX_VALUE}));
        m.put("img", Tensor.ofUnsignedBytes(new byte[] {0, 127, (byte) 128, (byte) 255}, 2, 2));
        m.put("mask", Tensor.of(new boolean[] {true, false, true}));
        m.put("empty", Tensor.zeros(0, 3));
        m.put("\u00fcnicode.w\u00e9ight", Tensor.of(new float[] {1.5f}));
        m.put("quote\"d\\name\n", Tensor.of(new long[] {2, 3}));
        m.put("layer1.0.conv1.weight", Tensor.ones(1, 1, 2, 2));
        return m;
    }

    static Map<String, String> kasaneMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z\u00e9\"", "line\nbreak\t\u0001");
        m.put("kasane", "0.1");
        m.put("format", "pt");
        return m;
    }

    @Test
    void writesTheReferenceWritersBytes() throws Exception {
        Path f = dir.resolve("kasane.safetensors");
        Safetensors.save(kasaneTensors(), kasaneMetadata(), f);
        assertArrayEquals(Files.readAllBytes(resource("kasane_expected.safetensors")), Files.readAllBytes(f));
        SafetensorsFile back = Safetensors.loadWithMetadata(f);
        assertEquals(kasaneMetadata(), back.metadata());
        for (Map.Entry<String, Tensor> e : kasaneTensors().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), back.tensors().get(e.getKey()).toDoubleArray(), 0.0);
        }
    }

    @Test
    void pyTorchLoadsWhatKasaneWrites() throws Exception {
        Path f = dir.resolve("kasane.safetensors");
        Safetensors.save(kasaneTensors(), kasaneMetadata(), f);
        PyTorchFixtures.verifyWithPyTorch("gen_io_fixtures.py", f);
    }
}
