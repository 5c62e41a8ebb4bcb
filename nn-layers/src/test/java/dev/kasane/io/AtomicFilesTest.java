package dev.kasane.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static void writeText(Path file, String text) throws IOException {
        AtomicFiles.write(file, "test.write", ch -> ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** The permissions a file created the ordinary way (0666 less the umask) gets in {@code dir}. */
    static Set<PosixFilePermission> ordinaryPermissions(Path dir) throws IOException {
        Path probe = dir.resolve("probe-ordinary-file");
        Files.newOutputStream(probe).close();
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        return p;
    }

    @Test
    void replacesTheFileWithOrdinaryPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        Path f = dir.resolve("a.txt");
        writeText(f, "one");
        writeText(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(ordinaryPermissions(dir), Files.getPosixFilePermissions(f));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void aFailureNamesTheFileAndKeepsThePreviousOne() throws IOException {
        Path f = dir.resolve("a.txt");
        writeText(f, "kept");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, "test.write", ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains("test.write: cannot write " + f) && e.getMessage().contains("No space left"),
                e.getMessage());
        assertEquals("kept", Files.readString(f));
        assertEquals(List.of("a.txt"), names());
        Path missing = dir.resolve("no-such-dir").resolve("b.txt");
        IOException e2 = assertThrows(IOException.class, () -> writeText(missing, "x"));
        assertTrue(e2.getMessage().contains("test.write: cannot write " + missing), e2.getMessage());
    }

    @Test
    void removesLeftoverTemporaryFilesOfThatFileOnly() throws IOException {
        List<String> leftovers = List.of(".a.txt.1f.tmp", ".a.txt.0123456789abcdef.tmp");
        List<String> others = List.of(".a.txt.tmp", ".a.txt.xyz.tmp", ".a.txt.0123456789abcdef0.tmp", ".a.txt.1F.tmp",
                ".b.txt.1f.tmp", ".a.txt.1f.tmp.bak", "a.txt.1f.tmp", ".xa.txt.1f.tmp");
        for (String n : leftovers) {
            Files.writeString(dir.resolve(n), "stale");
        }
        for (String n : others) {
            Files.writeString(dir.resolve(n), "other");
        }
        writeText(dir.resolve("a.txt"), "new");
        List<String> expected = new java.util.ArrayList<>(others);
        expected.add("a.txt");
        expected.sort(null);
        assertEquals(expected, names());
        for (String n : leftovers) {
            assertFalse(Files.exists(dir.resolve(n)), n);
        }
    }

    @Test
    void temporaryNamesMatchTheirPattern() {
        String t = AtomicFiles.tempName("model.safetensors");
        assertTrue(AtomicFiles.isTempOf(t, "model.safetensors"), t);
        assertFalse(AtomicFiles.isTempOf(t, "model"), t);
        assertEquals(".model.safetensors.".length() + 16 + ".tmp".length(), t.length(), t);
    }
}
