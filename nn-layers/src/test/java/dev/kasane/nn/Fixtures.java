package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kasane.autograd.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the PyTorch fixtures written by src/test/python/gen_nn_fixtures.py and compares arrays with them. */
final class Fixtures {
    private Fixtures() {
    }

    /** The named arrays of {@code nn/<name>.txt} (floats as F32, integers as I64, booleans as BOOL), in file order. */
    static LinkedHashMap<String, Tensor> load(String name) {
        String path = "nn/" + name + ".txt";
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path + " (run gen_nn_fixtures.py)");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            String header;
            while ((header = r.readLine()) != null) {
                if (header.isBlank()) {
                    continue;
                }
                String[] h = header.trim().split(" ");
                int rank = Integer.parseInt(h[2]);
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = Integer.parseInt(h[3 + i]);
                }
                String line = r.readLine().trim();
                String[] v = line.isEmpty() ? new String[0] : line.split(" ");
                out.put(h[0], parse(h[1], v, shape));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    private static Tensor parse(String kind, String[] v, int[] shape) {
        switch (kind) {
            case "f": {
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = Float.parseFloat(v[i]);
                }
                return Tensor.of(a, a.length).reshape(shape);
            }
            case "i": {
                long[] a = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = Long.parseLong(v[i]);
                }
                return Tensor.of(a, a.length).reshape(shape);
            }
            case "b": {
                boolean[] a = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = v[i].equals("1");
                }
                return Tensor.of(a, a.length).reshape(shape);
            }
            default:
                throw new IllegalArgumentException("unknown fixture kind " + kind);
        }
    }

    /** Asserts {@code actual} has the expected shape and {@code |a - e| <= tol (1 + |e|)} everywhere. */
    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertNotNull(actual, what + ": missing (null)");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i]))) && !(Double.isInfinite(e[i]) && a[i] == e[i])) {
                throw new AssertionError(what + ": element " + i + " of " + Arrays.toString(expected.shape()) + " is " + a[i]
                        + ", PyTorch gives " + e[i] + " (tolerance " + tol + ")");
            }
        }
    }

    /** The entries whose names start with {@code prefix}, with the prefix removed. */
    static LinkedHashMap<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
