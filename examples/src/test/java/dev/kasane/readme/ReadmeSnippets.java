package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code ```java} blocks of a README, and the check that a test runs each of them as written: every import line
 * of a block is an import of the test source, and the rest of the block is a run of consecutive lines of the test
 * source. Lines compare after stripping leading and trailing white space (indentation differs in a method body);
 * blank lines are ignored.
 */
final class ReadmeSnippets {
    private static final String OPEN = "```java";
    private static final String CLOSE = "```";

    private ReadmeSnippets() {
    }

    /** The {@code ```java} blocks of {@code readme}, in order, each as its lines. */
    static List<List<String>> javaBlocks(Path readme) throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (current == null && line.strip().equals(OPEN)) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals(CLOSE)) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        if (current != null) {
            fail(readme + ": a " + OPEN + " block is not closed");
        }
        return blocks;
    }

    /**
     * Fails, naming the README, the block and its first line, unless every {@code ```java} block of {@code readme}
     * appears in one of {@code testSources} as the class comment describes; also fails if the README has no such block.
     */
    static void assertEveryBlockIn(Path readme, Path... testSources) throws IOException {
        List<List<String>> blocks = javaBlocks(readme);
        assertFalse(blocks.isEmpty(), readme + " has no " + OPEN + " block");
        List<List<String>> sources = new ArrayList<>();
        for (Path source : testSources) {
            sources.add(normalized(Files.readAllLines(source, StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < blocks.size(); i++) {
            List<String> block = normalized(blocks.get(i));
            if (sources.stream().noneMatch(source -> runs(block, source))) {
                fail(readme + ", java block " + (i + 1) + " (starting '" + (block.isEmpty() ? "" : block.get(0))
                        + "') does not appear verbatim, with its imports, in any of " + List.of(testSources)
                        + ": copy the block into a test method");
            }
        }
    }

    /** Whether {@code source} imports every import of {@code block} and holds the rest of it as consecutive lines. */
    private static boolean runs(List<String> block, List<String> source) {
        Set<String> imports = source.stream().filter(l -> l.startsWith("import ")).collect(Collectors.toSet());
        List<String> body = block.stream().filter(l -> !l.startsWith("import ")).collect(Collectors.toList());
        return block.stream().filter(l -> l.startsWith("import ")).allMatch(imports::contains)
                && Collections.indexOfSubList(source, body) >= 0;
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }
}
