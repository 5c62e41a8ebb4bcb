package dev.kasane.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPLoggerFactory;

class WarningsTest {
    /** A bound provider's factory, as SLF4J answers with slf4j-simple or logback on the class path. */
    private static final ILoggerFactory PROVIDER = name -> NOPLogger.NOP_LOGGER;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Warnings.Printer printer = new Warnings.Printer(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thisModuleHasNoProviderAndSlf4jAnswersWithTheNoProviderFactory() {
        // core-tensor's tests have slf4j-api only: the state that every user without a provider is in
        assertTrue(Warnings.noProvider(LoggerFactory.getILoggerFactory()),
                "SLF4J's factory without a provider: " + LoggerFactory.getILoggerFactory().getClass().getName());
        assertFalse(Warnings.noProvider(PROVIDER));
    }

    @Test
    void withoutAProviderEachMessageIsPrintedOnceAndTheFirstSaysHowToGetTheLog() {
        ILoggerFactory none = new NOPLoggerFactory();
        assertTrue(printer.printIfUnlogged("scalar kernels", none));
        assertFalse(printer.printIfUnlogged("scalar kernels", none));
        assertTrue(printer.printIfUnlogged("JDK 17 flags", none));
        assertEquals("[kasane] WARNING: scalar kernels\n"
                + "[kasane] (no SLF4J provider is bound, so Kasane writes its warnings here; add one, e.g."
                + " org.slf4j:slf4j-simple, to see its log)\n"
                + "[kasane] WARNING: JDK 17 flags\n", printed().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withAProviderNothingIsPrinted() {
        assertFalse(printer.printIfUnlogged("scalar kernels", PROVIDER));
        assertEquals("", printed());
    }
}
