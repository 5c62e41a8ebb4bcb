package dev.kasane.readme;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the top-level README.md is run, as written, by {@link ReadmeTest}, {@link ReadmeOpenClTest},
 * {@link ReadmeSimclrTest}, {@link CompressionReadmeTest}, {@link ReadmeGanTest}, {@link SparkReadmeTest} or
 * {@link MixedPrecisionReadmeTest}.
 */
class ReadmeBlocksTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path TESTS = Path.of("src", "test", "java", "dev", "kasane", "readme");

    @Test
    void everyReadmeBlockIsRunHere() throws IOException {
        ReadmeSnippets.assertEveryBlockIn(README, TESTS.resolve("ReadmeTest.java"), TESTS.resolve("ReadmeOpenClTest.java"),
                TESTS.resolve("ReadmeSimclrTest.java"),
                TESTS.resolve("CompressionReadmeTest.java"),
                TESTS.resolve("ReadmeGanTest.java"),
                TESTS.resolve("SparkReadmeTest.java"),
                TESTS.resolve("MixedPrecisionReadmeTest.java"));
    }
}
