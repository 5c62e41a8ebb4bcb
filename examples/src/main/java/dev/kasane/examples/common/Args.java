package dev.kasane.examples.common;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.spi.Backends;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The parsed command line of an example: the options every example shares, plus the example's own.
 *
 * <p>Common options (each example may change the defaults with {@link Parser#set}):
 * <pre>
 *   --epochs N        training epochs (default 10)
 *   --batch-size N    samples per batch (default 64)
 *   --lr X            learning rate (default 1e-3)
 *   --device D        cpu, opencl:0, opencl:1, ... (opencl = opencl:0; default cpu)
 *   --out DIR         output directory (default out/&lt;example&gt;)
 *   --data DIR        dataset directory (default: $KASANE_DATA if set, else /usr/share/datasets/...)
 *   --resume          continue from DIR/checkpoint.safetensors
 *   --overwrite       start afresh even though DIR holds a checkpoint of an earlier run (deleting it)
 *   --seed N          random seed (default 0)
 *   --limit N         use only the first N training samples (smoke tests; default 0 = all)
 *   --log-every N     progress line every N steps when not on a terminal (default 100)
 *   --logdir DIR      also log to TensorBoard event files in DIR (default: none)
 *   --verbose         on an error, also print its stack trace
 *   --help, -h        the help text
 * </pre>
 * Values are given as {@code --name value} or {@code --name=value}. An example drops the common options it does not
 * use with {@link Parser#without}, so that its {@code --help} lists only what it reads.
 *
 * <pre>{@code
 * Args args = Args.parser("lenet", "LeNet-5 on Fashion-MNIST.")
 *         .set("epochs", "10")
 *         .option("eval-batch-size", "N", "batch size for evaluation", "1000")
 *         .flag("no-chart", "do not write the chart")
 *         .parse(argv);                        // throws UsageException for --help or bad input
 * int epochs = args.epochs();
 * int evalBatch = args.getInt("eval-batch-size");
 * }</pre>
 */
public final class Args {
    /** The JVM flags README gives every JDK 17 command (section "JDK 17"). */
    public static final String JDK17_FLAGS = "-XX:PerBytecodeTrapLimit=100 -XX:PerMethodTrapLimit=10000";
    /** Option names shared by every example. */
    public static final List<String> COMMON = List.of("epochs", "batch-size", "lr", "device", "out", "data", "resume",
            "overwrite", "seed", "limit", "log-every", "logdir", "verbose");

    /** The common options that {@link Parser#without} may drop: those an example may have no use for. */
    private static final List<String> OPTIONAL = List.of("epochs", "batch-size", "lr", "data", "limit");

    /** Checks of the common options with a value, run by {@link Parser#parse} for those declared. */
    private static final Map<String, Consumer<Args>> CHECKS = Map.of("epochs", Args::epochs, "batch-size",
            Args::batchSize, "lr", Args::lr, "device", Args::device, "seed", Args::seed, "limit", Args::limit,
            "log-every", Args::logEvery);

    private final String example;
    private final Map<String, Opt> spec;
    private final Map<String, String> values;

    private Args(String example, Map<String, Opt> spec, Map<String, String> values) {
        this.example = example;
        this.spec = spec;
        this.values = values;
    }

    /** One declared option. {@code metavar == null} marks a flag (no value). */
    private record Opt(String name, String metavar, String help, String defaultValue) {
        boolean isFlag() {
            return metavar == null;
        }
    }

    /**
     * A parser with the common options.
     *
     * @param example the example's name as typed after {@code Main} (used in the help and the default --out)
     * @param summary one or more sentences describing the example, shown at the top of the help
     */
    public static Parser parser(String example, String summary) {
        return new Parser(example, null, summary);
    }

    /**
     * A parser with the common options, of an example that {@link dev.kasane.examples.Main} lists (see
     * {@link Example}).
     *
     * @param example the example's name as typed after {@code Main}
     * @param description one line for the list of examples
     * @param summary one or more sentences describing the example, shown at the top of the help
     */
    public static Parser parser(String example, String description, String summary) {
        return new Parser(example, Objects.requireNonNull(description, "description"), summary);
    }

    /** Declares options and parses a command line. */
    public static final class Parser {
        private final String example;
        private final String description;
        private final String summary;
        private final LinkedHashMap<String, Opt> spec = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        private Parser(String example, String description, String summary) {
            this.example = Objects.requireNonNull(example, "example");
            this.description = description;
            this.summary = Objects.requireNonNull(summary, "summary");
            add(new Opt("epochs", "N", "training epochs", "10"));
            add(new Opt("batch-size", "N", "samples per batch", "64"));
            add(new Opt("lr", "X", "learning rate", "1e-3"));
            add(new Opt("device", "D", "cpu, opencl:0, opencl:1, ... (opencl means opencl:0)", "cpu"));
            add(new Opt("out", "DIR", "output directory (charts, checkpoints, logs)", "out/" + example));
            add(new Opt("data", "DIR", "dataset directory (default: $KASANE_DATA, then /usr/share/datasets/...)", null));
            add(new Opt("resume", null, "continue the run from its checkpoint in <out> (" + Checkpoint.FILE_NAME + ")",
                    null));
            add(new Opt("overwrite", null, "start afresh even though <out> holds a checkpoint of an earlier run "
                    + "(deleting it)", null));
            add(new Opt("seed", "N", "random seed (initialisation, shuffling)", "0"));
            add(new Opt("limit", "N", "use only the first N training samples, 0 = all (smoke tests)", "0"));
            add(new Opt("log-every", "N", "steps between progress lines when the output is not a terminal", "100"));
            add(new Opt("logdir", "DIR", "also log to TensorBoard there (losses, metrics, weight histograms, images)",
                    null));
            add(new Opt("verbose", null, "on an error, also print its stack trace", null));
        }

        /** The example's name. */
        public String example() {
            return example;
        }

        /** The one-line description of the example, or null if the parser was made without one. */
        public String description() {
            return description;
        }

        private void add(Opt o) {
            if (o.name().startsWith("-") || o.name().isEmpty() || o.name().equals("help")) {
                throw new IllegalArgumentException("Args: bad option name '" + o.name() + "'");
            }
            if (spec.containsKey(o.name())) {
                throw new IllegalArgumentException("Args: option --" + o.name() + " declared twice (use set() to change a"
                        + " default)");
            }
            spec.put(o.name(), o);
        }

        /**
         * Changes the default of an already declared option (common or own), e.g. {@code set("epochs", "1")}.
         *
         * @throws IllegalArgumentException if no such option is declared or it is a flag
         */
        public Parser set(String name, String defaultValue) {
            Opt o = spec.get(name);
            if (o == null || o.isFlag()) {
                throw new IllegalArgumentException("Args.set: no option --" + name + " with a value");
            }
            spec.put(name, new Opt(name, o.metavar(), o.help(), defaultValue));
            return this;
        }

        /**
         * Declares an option with a value.
         *
         * @param name the name without the leading dashes
         * @param metavar what the value is, for the help (e.g. {@code N}, {@code FILE})
         * @param help one line
         * @param defaultValue the value when absent, or null for none ({@link Args#has} is then false)
         */
        public Parser option(String name, String metavar, String help, String defaultValue) {
            add(new Opt(name, Objects.requireNonNull(metavar, "metavar"), help, defaultValue));
            return this;
        }

        /**
         * Drops common options that the example does not use (so that {@code --help} does not list them and the
         * command line refuses them): any of {@code epochs}, {@code batch-size}, {@code lr}, {@code data} and
         * {@code limit}.
         *
         * @throws IllegalArgumentException for another name
         */
        public Parser without(String... names) {
            for (String n : names) {
                if (!OPTIONAL.contains(n) || spec.remove(n) == null) {
                    throw new IllegalArgumentException("Args.without: --" + n + " is not a common option that can be "
                            + "dropped (" + OPTIONAL + ")");
                }
            }
            return this;
        }

        /** Declares a flag (no value; {@link Args#flag} tells whether it was given). */
        public Parser flag(String name, String help) {
            add(new Opt(name, null, help, null));
            return this;
        }

        /** Adds a paragraph at the end of the help. */
        public Parser note(String text) {
            notes.add(text);
            return this;
        }

        /**
         * Adds the example command lines at the end of the help, under "example:" (one) or "examples:" (several), each
         * indented by two spaces.
         */
        public Parser examples(String... commandLines) {
            return note((commandLines.length == 1 ? "example:\n  " : "examples:\n  ") + String.join("\n  ", commandLines));
        }

        /** The help text. */
        public String help() {
            StringBuilder sb = new StringBuilder();
            sb.append("usage: java --add-modules jdk.incubator.vector -jar examples.jar ").append(example)
                    .append(" [options]\n       (JDK 17: add ").append(JDK17_FLAGS).append(" before -jar)\n\n")
                    .append(summary).append("\n\noptions:\n");
            List<String[]> rows = new ArrayList<>();
            for (Opt o : spec.values()) {
                String left = "--" + o.name() + (o.isFlag() ? "" : " " + o.metavar());
                String right = o.help() + (o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")");
                rows.add(new String[] {left, right});
            }
            rows.add(new String[] {"--help, -h", "this text"});
            int w = 0;
            for (String[] r : rows) {
                w = Math.max(w, r[0].length());
            }
            for (String[] r : rows) {
                sb.append("  ").append(String.format(Locale.ROOT, "%-" + w + "s", r[0])).append("  ").append(r[1])
                        .append('\n');
            }
            for (String n : notes) {
                sb.append('\n').append(n).append('\n');
            }
            return sb.toString();
        }

        /**
         * Parses {@code argv}.
         *
         * @throws UsageException with exit code 0 and the help text for {@code --help}/{@code -h}; with exit code 2
         *     for an unknown option, a missing or malformed value, or a stray argument
         */
        public Args parse(String... argv) {
            LinkedHashMap<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new UsageException(help(), 0);
                }
                if (!a.startsWith("--") || a.length() == 2) {
                    throw error("unexpected argument '" + a + "'");
                }
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Opt o = spec.get(name);
                if (o == null) {
                    throw error("unknown option --" + name);
                }
                if (o.isFlag()) {
                    if (value != null) {
                        throw error("--" + name + " takes no value");
                    }
                    value = "true";
                } else if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw error("--" + name + " needs a value (" + o.metavar() + ")");
                    }
                    value = argv[++i];
                }
                values.put(name, value);
            }
            for (Opt o : spec.values()) {
                if (!values.containsKey(o.name()) && o.defaultValue() != null) {
                    values.put(o.name(), o.defaultValue());
                }
            }
            Args args = new Args(example, Collections.unmodifiableMap(new LinkedHashMap<>(spec)),
                    Collections.unmodifiableMap(values));
            // validate the common options now, so that errors come before any work
            for (Map.Entry<String, Consumer<Args>> c : CHECKS.entrySet()) {
                if (spec.containsKey(c.getKey())) {
                    c.getValue().accept(args);
                }
            }
            if (args.resume() && args.flag("overwrite")) {
                throw error("--resume and --overwrite exclude each other");
            }
            return args;
        }

        private UsageException error(String msg) {
            return usage(example, msg);
        }
    }

    // ------------------------------------------------------------------------------------------------ access

    /** The example's name. */
    public String example() {
        return example;
    }

    /** Whether the option has a value (given or defaulted), or the flag was given. */
    public boolean has(String name) {
        requireDeclared(name);
        return values.containsKey(name);
    }

    /** Whether the flag was given. */
    public boolean flag(String name) {
        requireDeclared(name);
        return "true".equals(values.get(name));
    }

    /** The option's value, or null if it has none. */
    public String get(String name) {
        requireDeclared(name);
        return values.get(name);
    }

    /** The option's value as an int. */
    public int getInt(String name) {
        long n = number(name, true).longValue();
        if (n != (int) n) {
            throw bad(name, get(name), "an integer");
        }
        return (int) n;
    }

    /** The option's value as a long. */
    public long getLong(String name) {
        return number(name, true).longValue();
    }

    /** The option's value as a double. */
    public double getDouble(String name) {
        double d = number(name, false).doubleValue();
        if (!Double.isFinite(d)) {
            throw bad(name, get(name), "a finite number");
        }
        return d;
    }

    /** The option's value parsed as a {@code Long} if {@code integral}, else as a {@code Double}. */
    private Number number(String name, boolean integral) {
        String v = required(name);
        try {
            if (integral) {
                return Long.parseLong(v.trim());
            }
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw bad(name, v, integral ? "an integer" : "a number");
        }
    }

    /** The option's value as a path, or null if it has none. */
    public Path getPath(String name) {
        String v = get(name);
        return v == null ? null : Path.of(v);
    }

    /** {@code --epochs} (>= 1). */
    public int epochs() {
        return positive("epochs", 1);
    }

    /** {@code --batch-size} (>= 1). */
    public int batchSize() {
        return positive("batch-size", 1);
    }

    /** {@code --lr} (> 0). */
    public double lr() {
        double lr = getDouble("lr");
        if (!(lr > 0)) {
            throw bad("lr", get("lr"), "a positive number");
        }
        return lr;
    }

    /** {@code --device} as a {@link Device}. */
    public Device device() {
        Device d;
        try {
            d = Device.parse(required("device"));
        } catch (IllegalArgumentException e) {
            throw bad("device", get("device"), "cpu, opencl or opencl:N");
        }
        if (!Backends.isAvailable(d.type())) {
            throw bad("device", get("device"), "a device with a backend on the classpath (cpu, opencl or opencl:N)");
        }
        return d;
    }

    /** {@code --out}. */
    public Path out() {
        return Path.of(required("out"));
    }

    /**
     * {@code --out}, created with its parents if it does not exist yet: where an example writes its outputs. A run
     * without {@code --resume} refuses to start over an earlier run's checkpoint unless {@code --overwrite} is given,
     * which deletes it (so that a later {@code --resume} cannot continue the earlier run).
     *
     * @param checkpoints the run's checkpoint files, relative to {@code --out}
     * @throws UsageException if {@code --out} is a file, cannot be created or is not writable, or holds one of
     *     {@code checkpoints} and neither {@code --resume} nor {@code --overwrite} is given
     * @throws IOException if an earlier checkpoint cannot be deleted
     */
    public Path createOut(String... checkpoints) throws IOException {
        Path dir = out();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw usage(example, "--out " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw usage(example, "cannot create --out " + dir + ": " + reason(e));
        }
        if (!Files.isWritable(dir)) {
            throw usage(example, "--out " + dir + " is not writable");
        }
        for (String c : checkpoints) {
            Path f = dir.resolve(c);
            if (!Files.exists(f) || resume()) {
                continue;
            }
            if (!flag("overwrite")) {
                throw usage(example, f + " is the checkpoint of an earlier run: add --resume to continue it, or "
                        + "--overwrite to start afresh (deleting it)");
            }
            Files.delete(f);
        }
        return dir;
    }

    /** Why a file operation failed, in words ("permission denied", "Not a directory", ...). */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.toString();
    }

    /** {@code --data}, or null to use the dataset's default lookup. */
    public Path dataDir() {
        return getPath("data");
    }

    /** {@code --resume}. */
    public boolean resume() {
        return flag("resume");
    }

    /** {@code --seed}. */
    public long seed() {
        return getLong("seed");
    }

    /** {@code --limit}: the number of training samples to use, 0 for all. */
    public int limit() {
        return positive("limit", 0);
    }

    /** {@code --log-every} (>= 1). */
    public int logEvery() {
        return positive("log-every", 1);
    }

    /** {@code --logdir}, or null to log nothing to TensorBoard. */
    public Path logDir() {
        return getPath("logdir");
    }

    /** The values, as given or defaulted (for logging). */
    public Map<String, String> values() {
        return values;
    }

    /** "--epochs 10 --batch-size 64 ..." of every value, for the log. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(example);
        for (Map.Entry<String, String> e : values.entrySet()) {
            sb.append(" --").append(e.getKey());
            if (!spec.get(e.getKey()).isFlag()) {
                sb.append(' ').append(e.getValue());
            }
        }
        return sb.toString();
    }

    private int positive(String name, int min) {
        int v = getInt(name);
        if (v < min) {
            throw bad(name, get(name), "an integer >= " + min);
        }
        return v;
    }

    private String required(String name) {
        String v = get(name);
        if (v == null) {
            throw usage(example, "--" + name + " is required");
        }
        return v;
    }

    private void requireDeclared(String name) {
        if (!spec.containsKey(name)) {
            throw new IllegalArgumentException("Args: option --" + name + " was not declared by " + example);
        }
    }

    private UsageException bad(String name, String value, String expected) {
        return usage(example, "--" + name + " must be " + expected + ", got '" + value + "'");
    }

    /** A usage error of {@code example}: one line, ending with a pointer to {@code --help}. */
    private static UsageException usage(String example, String msg) {
        return new UsageException(example + ": " + msg + " (see " + example + " --help)", 2);
    }

    /**
     * A usage error found by the example itself, for a value its own checks refuse (e.g. {@code --size} not a
     * multiple of 8): "example: what (see example --help)".
     */
    public UsageException error(String what) {
        return usage(example, what);
    }
}
