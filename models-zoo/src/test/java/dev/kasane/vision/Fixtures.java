package dev.kasane.vision;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads the committed fixture files under src/test/resources/fixtures. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Fixtures copied out of a jar, by name (see {@link #path}). */
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    /**
     * A file holding fixture {@code name}: the resource itself when it is a plain file (tests run from
     * target/test-classes), otherwise (tests run from the test-jar, as backend-opencl does under {@code mvn verify})
     * a temporary copy, made once per JVM and deleted on exit.
     */
    public static Path path(String name) {
        String resource = "/fixtures/" + name;
        URL u = Fixtures.class.getResource(resource);
        if (u == null) {
            throw new IllegalStateException("missing test fixture " + resource
                    + " (regenerate with the scripts in models-zoo/src/test/python)");
        }
        if ("file".equals(u.getProtocol())) {
            try {
                return Path.of(u.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return EXTRACTED.computeIfAbsent(name, n -> extract(resource, n));
    }

    private static Path extract(String resource, String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test fixture " + resource);
            }
            Path tmp = Files.createTempFile("kasane-fixture-", "-" + name);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("copying test fixture " + resource + " out of its jar", e);
        }
    }

    /** All arrays of a safetensors fixture. */
    public static Map<String, Tensor> load(String name) throws IOException {
        return Safetensors.load(path(name));
    }

    /**
     * The formula-defined test image of gen_metric_fixtures.py, F64 of {@code shape}: 0.5 + 0.45 sin(0.37 i)
     * cos(0.011 i) at flat index i.
     */
    public static Tensor imageA(int... shape) {
        return Tensor.of(valuesA(numel(shape)), shape);
    }

    /** imageA plus 0.08 sin(1.3 i + 0.5), clipped to [0, 1]. */
    public static Tensor imageB(int... shape) {
        double[] a = valuesA(numel(shape));
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(0, Math.min(1, a[i] + 0.08 * Math.sin(1.3 * i + 0.5)));
        }
        return Tensor.of(a, shape);
    }

    private static double[] valuesA(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 + 0.45 * Math.sin(0.37 * i) * Math.cos(0.011 * i);
        }
        return v;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The permissions that a file created the ordinary way (0666 less the umask) gets in {@code dir}, or null where
     * the file system has no POSIX permissions.
     */
    public static java.util.Set<java.nio.file.attribute.PosixFilePermission> ordinaryPermissions(Path dir)
            throws IOException {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        Path probe = dir.resolve("probe-ordinary-file");
        Files.newOutputStream(probe).close();
        var p = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        return p;
    }

    /** The POSIX permissions of {@code file}, or null where the file system has none. */
    public static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path file) throws IOException {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        return Files.getPosixFilePermissions(file);
    }
}
