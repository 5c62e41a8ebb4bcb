package dev.kasane.examples.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Text outputs of the examples, each replaced whole: a killed run leaves the old file or the new one, never half. */
public final class TextFiles {
    private TextFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code file} through a sibling temporary file and an atomic rename. */
    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
