package dev.kasane.examples.common;

/**
 * An example's entry point, as registered in {@link dev.kasane.examples.Main}: usually the example class's static
 * {@code main} ({@code LeNetExample::main}). It may throw {@link UsageException} for {@code --help} or a bad command
 * line; that and any other exception end the program with one line on stderr and status 2.
 */
@FunctionalInterface
public interface ExampleMain {
    /** Runs the example with the arguments that follow its name. */
    void run(String[] args) throws Exception;
}
