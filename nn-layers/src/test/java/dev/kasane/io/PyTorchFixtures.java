package dev.kasane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The fixtures that the scripts of {@code src/test/python} generate with PyTorch, and their {@code --verify} mode. */
public final class PyTorchFixtures {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private PyTorchFixtures() {
    }

    /** The test resource {@code folder/name}, which {@code script} generates. */
    public static Path resource(String folder, String name, String script) throws URISyntaxException {
        var url = PyTorchFixtures.class.getResource("/" + folder + "/" + name);
        assertNotNull(url, "missing test resource " + folder + "/" + name + " (run " + script + ")");
        return Path.of(url.toURI());
    }

    /**
     * Runs {@code src/test/python/<script> --verify <file>} with PyTorch and fails unless it exits with 0. Does nothing
     * where PyTorch is missing or the CI variable is set (CI has no PyTorch): the callers' byte-for-byte checks against
     * the committed reference files cover the same ground there.
     */
    public static void verifyWithPyTorch(String script, Path file) throws IOException, InterruptedException {
        if (System.getenv("CI") != null || !Files.isExecutable(PYTHON) || !run(PYTHON.toString(), "-c", "import torch")
                .isEmpty()) {
            return;
        }
        String out = run(PYTHON.toString(), "-B", Path.of("src/test/python", script).toAbsolutePath().toString(), "--verify",
                file.toString());
        assertEquals("", out, script + " --verify " + file);
    }

    /** Runs a command; returns "" if it exits with 0, else its exit code and output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        return done && p.exitValue() == 0 ? "" : "exit " + (done ? p.exitValue() : "timeout") + ": " + out;
    }
}
