package dev.kasane.autograd;

import dev.kasane.tensor.NDArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fixtures written by {@code src/test/python/gen_fixtures.py}: one tensor per line,
 * {@code name dtype ndim dims... values...}, '#' comments.
 */
final class Fixtures {
    private final Map<String, NDArray> tensors;
    private final String file;

    private Fixtures(String file, Map<String, NDArray> tensors) {
        this.file = file;
        this.tensors = tensors;
    }

    static Fixtures load(String name) {
        String file = "/fixtures/" + name + ".txt";
        Map<String, NDArray> m = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture " + file + " not found on the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                try {
                    int ndim = Integer.parseInt(f[2]);
                    int[] shape = new int[ndim];
                    int n = 1;
                    for (int i = 0; i < ndim; i++) {
                        shape[i] = Integer.parseInt(f[3 + i]);
                        n *= shape[i];
                    }
                    int at = 3 + ndim;
                    if (f.length - at != n) {
                        throw new IllegalArgumentException("expected " + n + " values for shape " + Arrays.toString(shape)
                                + ", got " + (f.length - at));
                    }
                    int[] storage = ndim == 0 ? new int[] {1} : shape;
                    NDArray a = parse(f[1], f, at, n, storage).reshape(shape);
                    m.put(f[0], a);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fixtures(file, m);
    }

    /** The {@code n} values from {@code f[at]} on, of dtype {@code dtype} (I64, F32 or F64), as an array of {@code shape}. */
    private static NDArray parse(String dtype, String[] f, int at, int n, int[] shape) {
        switch (dtype) {
            case "I64":
                return NDArray.of(Arrays.stream(f, at, at + n).mapToLong(Long::parseLong).toArray(), shape);
            case "F32": {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) Double.parseDouble(f[at + i]);
                }
                return NDArray.of(v, shape);
            }
            case "F64":
                return NDArray.of(Arrays.stream(f, at, at + n).mapToDouble(Double::parseDouble).toArray(), shape);
            default:
                throw new IllegalArgumentException("unknown dtype " + dtype);
        }
    }

    NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException(file + " has no tensor named " + name + "; it has " + tensors.keySet());
        }
        return a;
    }

    /** A constant tensor. */
    Tensor constant(String name) {
        return Tensor.of(get(name));
    }

    /** A leaf requiring grad. */
    Tensor param(String name) {
        return Tensor.of(get(name), true);
    }

    /** Leaves requiring grad, by name, in the order given. */
    Map<String, Tensor> params(String... names) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (String n : names) {
            p.put(n, param(n));
        }
        return p;
    }
}
