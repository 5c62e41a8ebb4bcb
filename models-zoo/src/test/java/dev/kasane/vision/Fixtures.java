package dev.kasane.vision;

import dev.kasane.io.Safetensors;
import dev.kasane.tensor.NDArray;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/** Loads the committed fixture files under src/test/resources/fixtures. */
public final class Fixtures {
    private Fixtures() {
    }

    /** The path of fixture {@code name}. */
    public static Path path(String name) {
        URL u = Fixtures.class.getResource("/fixtures/" + name);
        if (u == null) {
            throw new IllegalStateException("missing test fixture /fixtures/" + name
                    + " (regenerate with the scripts in models-zoo/src/test/python)");
        }
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All arrays of a safetensors fixture. */
    public static Map<String, NDArray> load(String name) throws IOException {
        return Safetensors.load(path(name));
    }

    /** The formula-defined test image of gen_metric_fixtures.py: 0.5 + 0.45 sin(0.37 i) cos(0.011 i). */
    public static double[] imageA(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 + 0.45 * Math.sin(0.37 * i) * Math.cos(0.011 * i);
        }
        return v;
    }

    /** imageA plus 0.08 sin(1.3 i + 0.5), clipped to [0, 1]. */
    public static double[] imageB(int n) {
        double[] a = imageA(n);
        for (int i = 0; i < n; i++) {
            a[i] = Math.max(0, Math.min(1, a[i] + 0.08 * Math.sin(1.3 * i + 0.5)));
        }
        return a;
    }
}
