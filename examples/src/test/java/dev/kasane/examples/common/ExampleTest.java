package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExampleTest {
    @Test
    void takesItsNameAndDescriptionFromItsParser() {
        Example e = new Example(() -> Args.parser("demo", "a demo in one line", "A demo."), (args, out) -> null);
        assertEquals("demo", e.name());
        assertEquals("a demo in one line", e.description());
    }

    @Test
    void refusesAParserWithoutDescription() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Example(() -> Args.parser("demo", "A demo."), (args, out) -> null));
        assertTrue(e.getMessage().contains("demo") && e.getMessage().contains("no description"), e.getMessage());
    }
}
