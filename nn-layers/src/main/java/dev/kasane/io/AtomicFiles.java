package dev.kasane.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once, so that a reader (or a crash) sees either the previous file or the complete new one:
 * the content is written to {@code .<name>.<hex>.tmp} in the same directory, flushed to disk, and renamed over the
 * file. This is how {@link Safetensors#save}, the image writers and the charts write.
 *
 * <ul>
 *   <li>The file gets the permissions of any newly created file (0666 less the umask on POSIX systems, typically
 *       0644), not the owner-only 0600 of {@link Files#createTempFile}.</li>
 *   <li>A process killed while writing leaves its {@code .<name>.<hex>.tmp} behind; the next write of the same file
 *       deletes such leftovers (only those of that file's name).</li>
 *   <li>Any failure (a missing or read-only directory, a full disk) is an {@link IOException} whose message names the
 *       operation and the file; the previous file, if any, is then left as it was.</li>
 * </ul>
 * Two writes of the same file at the same time are not supported: one of them may fail, and the file is then the
 * other's complete content.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("notes.txt"), "notes", ch -> ch.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content to {@code channel} (positioned at the start of an empty file).
         *
         * @throws IOException if writing fails
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code content} to {@code file}, replacing it atomically where the file system can. The directory must
     * exist.
     *
     * @param file the destination, replaced if it exists
     * @param op the operation named in error messages, e.g. {@code "Safetensors.save"}
     * @param content writes the bytes
     * @throws IOException naming {@code op} and {@code file} if it cannot be written
     */
    public static void write(Path file, String op, Content content) throws IOException {
        Objects.requireNonNull(file, op + ": file");
        Objects.requireNonNull(content, op + ": content");
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Path dir = target.getParent();
            deleteLeftovers(dir, target.getFileName().toString());
            tmp = dir.resolve(tempName(target.getFileName().toString()));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new IOException(op + ": cannot write " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** {@code .<name>.<16 hex digits>.tmp}. */
    static String tempName(String name) {
        return "." + name + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /** Whether {@code candidate} is a temporary file of {@code name}: {@code .<name>.<1 to 16 hex digits>.tmp}. */
    static boolean isTempOf(String candidate, String name) {
        String prefix = "." + name + ".";
        // Long.toHexString of earlier versions wrote 1 to 16 digits
        if (candidate.length() <= prefix.length() + ".tmp".length() || !candidate.startsWith(prefix)
                || !candidate.endsWith(".tmp")) {
            return false;
        }
        String hex = candidate.substring(prefix.length(), candidate.length() - ".tmp".length());
        return hex.length() <= 16 && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static void deleteLeftovers(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isTempOf(p.getFileName().toString(), name))) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }
}
