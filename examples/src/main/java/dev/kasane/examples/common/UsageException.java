package dev.kasane.examples.common;

/**
 * Thrown by {@link Args.Parser#parse} for {@code --help} (exit status 0, message = the help text, printed to stdout)
 * and for bad command lines (exit status 2, message = what is wrong plus a pointer to {@code --help}, printed to
 * stderr). {@link dev.kasane.examples.Main} catches it; tests can too.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param message the help text or the error message
     * @param exitCode 0 for a help request, 2 for a usage error
     */
    public UsageException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** 0 when help was asked for, 2 for an invalid command line. */
    public int exitCode() {
        return exitCode;
    }

    /** True when this is a {@code --help} request rather than an error. */
    public boolean isHelp() {
        return exitCode == 0;
    }
}
