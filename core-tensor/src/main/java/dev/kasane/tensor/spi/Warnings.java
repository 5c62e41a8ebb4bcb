package dev.kasane.tensor.spi;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The library's warnings that a user must see (the CPU backend on its scalar kernels, JDK 17 without the JVM flags it
 * needs, ...). Each is logged at WARN; when no SLF4J provider is bound, SLF4J drops every message, so the warning is
 * also written to standard error, once per distinct message per JVM.
 */
public final class Warnings {
    private static final Printer STDERR = new Printer(System.err);

    private Warnings() {
    }

    /**
     * Logs {@code message} through {@code log} at WARN, and writes it to standard error (once per JVM) if no SLF4J
     * provider is bound.
     */
    public static void warn(Logger log, String message) {
        log.warn(message);
        STDERR.printIfUnlogged(message, LoggerFactory.getILoggerFactory());
    }

    /** Whether SLF4J, answering with {@code factory}, has no provider bound and so drops every message. */
    static boolean noProvider(ILoggerFactory factory) {
        return factory instanceof NOPLoggerFactory;
    }

    /** Writes the warnings that SLF4J drops to one stream, each distinct message once. */
    static final class Printer {
        private final PrintStream out;
        private final Set<String> printed = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean hinted = new AtomicBoolean();

        Printer(PrintStream out) {
            this.out = out;
        }

        /** Writes {@code message} unless SLF4J logs it ({@code factory} is not the no-provider one) or it was written. */
        boolean printIfUnlogged(String message, ILoggerFactory factory) {
            if (!noProvider(factory) || !printed.add(message)) {
                return false;
            }
            out.println("[kasane] WARNING: " + message);
            if (hinted.compareAndSet(false, true)) {
                out.println("[kasane] (no SLF4J provider is bound, so Kasane writes its warnings here; add one, e.g."
                        + " org.slf4j:slf4j-simple, to see its log)");
            }
            return true;
        }
    }
}
