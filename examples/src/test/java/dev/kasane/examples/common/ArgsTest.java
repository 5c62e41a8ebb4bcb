package dev.kasane.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Device;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args.Parser parser() {
        return Args.parser("demo", "A demo.").set("epochs", "3").option("width", "N", "width", "8")
                .option("ckpt", "FILE", "a file", null).flag("fast", "go fast");
    }

    @Test
    void defaults() {
        Args a = parser().parse();
        assertEquals(3, a.epochs());
        assertEquals(64, a.batchSize());
        assertEquals(1e-3, a.lr());
        assertEquals(Device.CPU, a.device());
        assertEquals(Path.of("out/demo"), a.out());
        assertNull(a.dataDir());
        assertFalse(a.resume());
        assertEquals(0, a.seed());
        assertEquals(0, a.limit());
        assertEquals(100, a.logEvery());
        assertEquals(8, a.getInt("width"));
        assertFalse(a.has("ckpt"));
        assertNull(a.get("ckpt"));
        assertFalse(a.flag("fast"));
    }

    @Test
    void valuesInBothSpellings() {
        Args a = parser().parse("--epochs", "10", "--batch-size=32", "--lr", "0.1", "--device", "opencl", "--out", "o",
                "--data", "d", "--resume", "--seed", "7", "--limit", "256", "--width=3", "--ckpt", "x.safetensors", "--fast");
        assertEquals(10, a.epochs());
        assertEquals(32, a.batchSize());
        assertEquals(0.1, a.lr());
        assertEquals(Device.opencl(0), a.device());
        assertEquals(Path.of("o"), a.out());
        assertEquals(Path.of("d"), a.dataDir());
        assertTrue(a.resume());
        assertEquals(7, a.seed());
        assertEquals(256, a.limit());
        assertEquals(3, a.getInt("width"));
        assertEquals(Path.of("x.safetensors"), a.getPath("ckpt"));
        assertTrue(a.flag("fast"));
        assertTrue(a.toString().startsWith("demo --epochs 10"));
    }

    @Test
    void helpIsExitZeroAndListsEveryOption() {
        UsageException e = assertThrows(UsageException.class, () -> parser().parse("--epochs", "2", "--help"));
        assertTrue(e.isHelp());
        assertEquals(0, e.exitCode());
        for (String s : new String[] {"--epochs N", "(default 3)", "--batch-size", "--lr", "--device", "--out", "--data",
            "--resume", "--seed", "--limit", "--width N", "--ckpt FILE", "--fast", "A demo."}) {
            assertTrue(e.getMessage().contains(s), s + " missing from\n" + e.getMessage());
        }
        assertEquals(0, assertThrows(UsageException.class, () -> parser().parse("-h")).exitCode());
    }

    @Test
    void errorsAreExitTwoAndSayWhat() {
        String[][] bad = {{"--nope"}, {"--epochs"}, {"--epochs", "x"}, {"--epochs", "0"}, {"--lr", "-1"},
            {"--device", "tpu"}, {"--fast=1"}, {"stray"}, {"--limit", "-5"}, {"--batch-size", "1.5"}};
        for (String[] argv : bad) {
            UsageException e = assertThrows(UsageException.class, () -> parser().parse(argv), String.join(" ", argv));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith("demo: "), e.getMessage());
            assertTrue(e.getMessage().contains("--help"), e.getMessage());
        }
        assertTrue(assertThrows(UsageException.class, () -> parser().parse("--nope")).getMessage().contains("--nope"));
    }

    @Test
    void integersAreCheckedAgainstTheirJavaType() {
        assertEquals(3_000_000_000L, parser().parse("--seed", "3000000000").seed());
        UsageException e = assertThrows(UsageException.class, () -> parser().parse("--width", "3000000000").getInt("width"));
        assertTrue(e.getMessage().contains("--width must be an integer, got '3000000000'"), e.getMessage());
        assertEquals(-7, parser().parse("--width", " -7 ").getInt("width"));
    }

    @Test
    void undeclaredOptionIsAProgrammingError() {
        Args a = parser().parse();
        assertThrows(IllegalArgumentException.class, () -> a.get("undeclared"));
        assertThrows(IllegalArgumentException.class, () -> parser().option("epochs", "N", "again", "1").parse());
    }

    @Test
    void withoutDropsUnusedCommonOptions() {
        Args.Parser p = parser().without("epochs", "data");
        assertFalse(p.help().contains("--epochs") || p.help().contains("--data"), p.help());
        UsageException e = assertThrows(UsageException.class, () -> p.parse("--epochs", "2"));
        assertEquals("demo: unknown option --epochs (see demo --help)", e.getMessage());
        assertEquals(64, p.parse().batchSize());
        assertThrows(IllegalArgumentException.class, () -> parser().without("out"));
        assertThrows(IllegalArgumentException.class, () -> parser().without("width"));
    }

    @Test
    void examplesEndTheHelpUnderOneHeadingEachIndented() {
        assertTrue(parser().examples("demo --epochs 2", "demo --resume").help()
                .endsWith("\nexamples:\n  demo --epochs 2\n  demo --resume\n"), parser().help());
        assertTrue(parser().examples("demo").help().endsWith("\nexample:\n  demo\n"));
    }
}
