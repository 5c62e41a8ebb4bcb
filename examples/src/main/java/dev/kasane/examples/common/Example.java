package dev.kasane.examples.common;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An example as {@link dev.kasane.examples.Main} lists and runs it: its name, a one-line description, its command
 * line and what it does with it. Each example class declares its own, e.g.
 * {@code new Example(NAME, "LeNet-5 on Fashion-MNIST: ...", LeNetExample::parser, LeNetExample::run)}.
 *
 * @param name the name typed after {@code Main}
 * @param description one line for the list of examples
 * @param parser the example's command line
 * @param runner runs the example with the parsed command line
 */
public record Example(String name, String description, Supplier<Args.Parser> parser, Runner<?> runner) {
    /** An example's {@code run(Args, PrintStream)}. */
    @FunctionalInterface
    public interface Runner<R> {
        /** Runs the example with {@code args}, printing its progress and results to {@code out}. */
        R run(Args args, PrintStream out) throws IOException;
    }

    /** Checks that no part is null. */
    public Example {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(runner, "runner");
    }

    /**
     * Parses {@code argv} and runs the example, printing to {@code System.out}.
     *
     * @throws UsageException for {@code --help} or a bad command line
     * @throws IOException if the example fails to read or write a file
     */
    public void run(String... argv) throws IOException {
        runner.run(parser.get().parse(argv), System.out);
    }
}
