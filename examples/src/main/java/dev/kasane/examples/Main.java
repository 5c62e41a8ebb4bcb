package dev.kasane.examples;

import dev.kasane.examples.cgan.CganExample;
import dev.kasane.examples.common.Args;
import dev.kasane.examples.common.Example;
import dev.kasane.examples.common.UsageException;
import dev.kasane.examples.compress.CompressExample;
import dev.kasane.examples.cyclegan.CycleGanExample;
import dev.kasane.examples.dcgan.DcganExample;
import dev.kasane.examples.dip.DeepImagePrior;
import dev.kasane.examples.fid.FidFmnistExample;
import dev.kasane.examples.lenet.LeNetExample;
import dev.kasane.examples.resnet.ResNetExample;
import dev.kasane.examples.simclr.SimclrExample;
import dev.kasane.examples.sparklenet.SparkLeNetExample;
import dev.kasane.examples.stylegan.StyleGanExample;
import dev.kasane.examples.superres.SuperResExample;
import dev.kasane.examples.tune.TuneExample;
import dev.kasane.examples.unet.UNetExample;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one entry point of the examples jar: {@code java --add-modules jdk.incubator.vector -jar examples.jar <example>
 * [options]}; {@code <example> --help} lists an example's options, no argument (or an unknown name) lists the
 * examples.
 *
 * <p>Errors end the program with one line on stderr, {@code error: <what went wrong>}, and exit status 2, whether
 * the command line is wrong or the example fails (a bad {@code --size}, a checkpoint of another example, an
 * {@code --out} that cannot be written); with {@code --verbose} the stack trace follows.
 */
public final class Main {
    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    static {
        register(LeNetExample.EXAMPLE, ResNetExample.EXAMPLE, DcganExample.EXAMPLE, UNetExample.EXAMPLE,
                DeepImagePrior.EXAMPLE, SuperResExample.EXAMPLE, TuneExample.EXAMPLE, CycleGanExample.EXAMPLE,
                StyleGanExample.EXAMPLE, SimclrExample.EXAMPLE, CompressExample.EXAMPLE, FidFmnistExample.EXAMPLE,
                CganExample.EXAMPLE, SparkLeNetExample.EXAMPLE);
    }

    private Main() {
    }

    /**
     * Adds examples under their names (call from the static block above).
     *
     * @throws IllegalArgumentException if a name is taken
     */
    static void register(Example... examples) {
        for (Example e : examples) {
            if (EXAMPLES.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("Main: example '" + e.name() + "' registered twice");
            }
        }
    }

    /** The registered examples, in registration order. */
    public static Map<String, Example> examples() {
        return Collections.unmodifiableMap(EXAMPLES);
    }

    /** Runs the named example and exits with its status (0 ok, 2 error). */
    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the named example and returns the exit status instead of exiting (for tests).
     *
     * @return 0 on success or help, 2 for an unknown example or any error (printed as one line on stderr)
     */
    public static int run(String... args) {
        defaults();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            list(System.out, null);
            return args.length == 0 ? 2 : 0;
        }
        Example e = EXAMPLES.get(args[0]);
        if (e == null) {
            list(System.err, args[0]);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            e.run(rest);
            return 0;
        } catch (UsageException u) {
            if (u.isHelp()) {
                System.out.println(u.getMessage());
                return 0;
            }
            return fail(u, rest);
        } catch (Exception | Error ex) {
            return fail(ex, rest);
        }
    }

    /** Prints "error: ..." (and with --verbose the stack trace) on stderr; returns the exit status 2. */
    private static int fail(Throwable ex, String[] args) {
        System.err.println("error: " + describe(ex));
        if (Arrays.asList(args).contains("--verbose")) {
            ex.printStackTrace(System.err);
        }
        System.err.flush();
        return 2;
    }

    /**
     * What went wrong, on one line: the message of the exceptions whose messages are written to be read (usage,
     * argument, state and I/O errors of Kasane and the examples), else the exception itself (type and message).
     */
    static String describe(Throwable ex) {
        String m = ex.getMessage();
        boolean readable = ex instanceof UsageException || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException || ex instanceof UncheckedIOException
                || ex instanceof IOException && !(ex instanceof FileSystemException);
        String text = readable && m != null && !m.isBlank() ? m : ex.toString();
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void list(PrintStream out, String unknown) {
        if (unknown != null) {
            out.println("unknown example '" + unknown + "'");
        }
        out.println("usage: java --add-modules jdk.incubator.vector -jar examples.jar <example> [options]");
        out.println("       java --add-modules jdk.incubator.vector -jar examples.jar <example> --help");
        out.println("       (JDK 17: add " + Args.JDK17_FLAGS + " before -jar; README, \"JDK 17\")");
        out.println();
        out.println("examples:");
        int w = 0;
        for (String n : EXAMPLES.keySet()) {
            w = Math.max(w, n.length());
        }
        for (Example en : EXAMPLES.values()) {
            out.println("  " + String.format(Locale.ROOT, "%-" + w + "s", en.name()) + "  " + en.description());
        }
    }

    /** Headless AWT (charts on servers), terse slf4j-simple output, and a hint when the Vector API is absent. */
    private static void defaults() {
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() && !Boolean.getBoolean("kasane.quiet")) {
            System.err.println("note: running without the Vector API (scalar kernels, slower); start java with "
                    + "--add-modules jdk.incubator.vector");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
