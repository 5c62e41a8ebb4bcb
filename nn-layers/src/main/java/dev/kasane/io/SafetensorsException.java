package dev.kasane.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read: truncated, corrupt, hostile, or using a feature Kasane does not support
 * (e.g. an unsupported dtype). The message names the file and the fault, e.g.
 * {@code model.safetensors: tensor "fc.weight": data_offsets [0, 12] hold 12 bytes, but F32 [2, 3] needs 24}.
 *
 * <p>{@link Safetensors#load(Path)} throws only this exception for a bad file (plain {@link IOException}s from the
 * file system, such as a missing file, are reported as they are). It is thrown before any allocation larger than
 * the file itself, and nothing is returned from a file that fails.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file
     * @param fault what is wrong with it
     */
    public SafetensorsException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
    }

    /**
     * @param file the offending file
     * @param fault what is wrong with it
     * @param cause the underlying error
     */
    public SafetensorsException(Path file, String fault, Throwable cause) {
        super(file + ": " + fault, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
