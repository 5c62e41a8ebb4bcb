package dev.kasane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private static String[] capture(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new String[] {Integer.toString(status), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void unknownExampleListsTheExamples() {
        String[] r = capture("nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown example 'nope'"), r[2]);
        for (String name : new String[] {"lenet", "resnet"}) {
            assertTrue(r[2].contains("  " + name + " "), r[2]);
        }
    }

    @Test
    void helpOfAnExample() {
        String[] r = capture("lenet", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("usage: java --add-modules jdk.incubator.vector -jar examples.jar lenet"), r[1]);
        String[] bad = capture("resnet", "--optimizer");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--optimizer needs a value"), bad[2]);
    }

    @Test
    void everyRegisteredExampleHasHelp() {
        for (String name : Main.examples().keySet()) {
            String[] r = capture(name, "--help");
            assertEquals("0", r[0], name + ": " + r[2]);
            assertTrue(r[1].contains("--epochs") || r[1].contains("--out"), name + ": " + r[1]);
        }
    }
}
