package dev.kasane.examples.common;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An example as {@link dev.kasane.examples.Main} lists and runs it: its command line (which names it and describes
 * it in one line, see {@link Args#parser(String, String, String)}) and what it does with it. Each example class
 * declares its own, e.g. {@code new Example(LeNetExample::parser, LeNetExample::run)}.
 *
 * @param parser the example's command line
 * @param runner runs the example with the parsed command line
 */
public record Example(Supplier<Args.Parser> parser, Runner<?> runner) {
    /** An example's {@code run(Args, PrintStream)}. */
    @FunctionalInterface
    public interface Runner<R> {
        /** Runs the example with {@code args}, printing its progress and results to {@code out}. */
        R run(Args args, PrintStream out) throws IOException;
    }

    /**
     * Checks that no part is null and that the parser describes the example.
     *
     * @throws IllegalArgumentException if the parser has no one-line description
     */
    public Example {
        Objects.requireNonNull(runner, "runner");
        if (parser.get().description() == null) {
            throw new IllegalArgumentException("Example " + parser.get().example() + ": its parser has no description "
                    + "(use Args.parser(name, description, summary))");
        }
    }

    /** The name typed after {@code Main}. */
    public String name() {
        return parser.get().example();
    }

    /** One line for the list of examples. */
    public String description() {
        return parser.get().description();
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
