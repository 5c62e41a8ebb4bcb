package dev.kasane.examples.common;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.io.SafetensorsFile;
import dev.kasane.nn.Module;
import dev.kasane.optim.LRScheduler;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.OptimizerStateDict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint in one safetensors file: the state of any number of named modules, optimizers and LR
 * schedulers, the number of finished epochs, the run's seed and free-form string metadata (e.g. a {@link History}).
 * Written atomically (temporary file + rename, by {@link Safetensors#save}), so a crash never leaves half a checkpoint.
 *
 * <p>Resuming gives the same weights as an uninterrupted run when every epoch's randomness is derived from
 * {@code (seed, epoch)} with {@link Seeds#startEpoch} and the epoch's data order from {@link Seeds#shuffleSeed}: the
 * checkpoint then only needs the weights, the optimizer state and the epoch.
 *
 * <p>Layout: tensor {@code <name>.<key>} for each module's state-dict entry and each optimizer state array
 * ({@code opt.state.0.exp_avg}); metadata {@code kasane.checkpoint = 1}, {@code example}, {@code epoch},
 * {@code seed}, {@code modules}, {@code optimizers}, {@code schedulers} (comma-separated names),
 * {@code <optimizer>.<param>} (its groups' options), {@code <scheduler>.<key>} and {@code meta.<key>}. A plain
 * model file (a state dict saved with {@code Safetensors.save(model.stateDict(), file)}) is not a checkpoint, but
 * {@link #loadModuleState(Path, String)} reads both.
 *
 * <pre>{@code
 * // after each epoch
 * new Checkpoint("lenet", epoch + 1, seed).add("model", model).add("opt", opt)
 *         .meta("history", history.toCsv()).save(Checkpoint.file(outDir));
 * // --resume
 * Checkpoint ck = Checkpoint.load(Checkpoint.file(outDir));
 * ck.restore("model", model);          // strict: every key, every shape
 * ck.restore("opt", opt);              // after the model (and after moving it to its device)
 * int startEpoch = ck.epoch();         // the next epoch to run
 * }</pre>
 */
public final class Checkpoint {
    /** The checkpoint's file name inside an output directory. */
    public static final String FILE_NAME = "checkpoint.safetensors";

    /** The metadata key ({@link #meta(String, String)}) of the mode a run trains in, checked by {@link #resumable}. */
    public static final String MODE = "mode";

    private static final String MARKER = "kasane.checkpoint";

    private final Path source;
    private final String example;
    private final int epoch;
    private final long seed;
    private final LinkedHashMap<String, Tensor> tensors;
    private final LinkedHashMap<String, String> metadata;
    private final List<String> modules = new ArrayList<>();
    private final List<String> optimizers = new ArrayList<>();
    private final List<String> schedulers = new ArrayList<>();

    /**
     * An empty checkpoint to fill with {@code add} and {@code meta}, then {@link #save}.
     *
     * @param example the example's name (checked on resume)
     * @param epoch the number of finished epochs (= the 0-based index of the next epoch to run)
     * @param seed the run's seed
     */
    public Checkpoint(String example, int epoch, long seed) {
        this.source = null;
        this.example = Objects.requireNonNull(example, "example");
        if (epoch < 0) {
            throw new IllegalArgumentException("Checkpoint: epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        this.seed = seed;
        this.tensors = new LinkedHashMap<>();
        this.metadata = new LinkedHashMap<>();
    }

    private Checkpoint(Path file, SafetensorsFile f) throws IOException {
        Map<String, String> m = f.metadata();
        if (!"1".equals(m.get(MARKER))) {
            throw new IOException("checkpoint " + file + ": not a Kasane training checkpoint (no " + MARKER
                    + " metadata); a plain model state dict can be read with Checkpoint.loadModuleState");
        }
        this.source = file;
        try {
            this.example = need(file, m, "example");
            this.epoch = Integer.parseInt(need(file, m, "epoch"));
            this.seed = Long.parseLong(need(file, m, "seed"));
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint " + file + ": malformed epoch or seed in the metadata: " + e.getMessage(), e);
        }
        this.tensors = f.tensors();
        this.metadata = new LinkedHashMap<>(m);
        modules.addAll(names(m.get("modules")));
        optimizers.addAll(names(m.get("optimizers")));
        schedulers.addAll(names(m.get("schedulers")));
    }

    private static String need(Path file, Map<String, String> m, String key) throws IOException {
        String v = m.get(key);
        if (v == null) {
            throw new IOException("checkpoint " + file + ": metadata key '" + key + "' is missing");
        }
        return v;
    }

    private static List<String> names(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }

    /** {@code outDir/checkpoint.safetensors}. */
    public static Path file(Path outDir) {
        return outDir.resolve(FILE_NAME);
    }

    // ------------------------------------------------------------------------------------------------ writing

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains(".") || name.contains(",") || name.equals("meta") || name.equals("kasane")) {
            throw new IllegalArgumentException("Checkpoint: bad part name '" + name
                    + "' (non-empty, no '.' or ',', not 'meta' or 'kasane')");
        }
        if (modules.contains(name) || optimizers.contains(name) || schedulers.contains(name)) {
            throw new IllegalArgumentException("Checkpoint: part name '" + name + "' used twice");
        }
    }

    /** Adds a module's state dict under {@code name} (the live arrays: save before training goes on). */
    public Checkpoint add(String name, Module module) {
        checkName(name);
        putUnder(name, module.stateDict(), tensors);
        modules.add(name);
        return this;
    }

    /** Adds an optimizer's state (per-parameter buffers and the groups' options) under {@code name}. */
    public Checkpoint add(String name, Optimizer<?> optimizer) {
        checkName(name);
        OptimizerStateDict sd = optimizer.stateDict();
        putUnder(name, sd.tensors(), tensors);
        putUnder(name, sd.params(), metadata);
        optimizers.add(name);
        return this;
    }

    /** Adds an LR scheduler's state under {@code name}. */
    public Checkpoint add(String name, LRScheduler scheduler) {
        checkName(name);
        putUnder(name, scheduler.stateDict(), metadata);
        schedulers.add(name);
        return this;
    }

    /** Adds a free-form string (read back with {@link #meta(String)}). */
    public Checkpoint meta(String key, String value) {
        metadata.put("meta." + Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Writes the checkpoint (atomically; creates the parent directory).
     *
     * @throws IOException if it cannot be written (a previous file of that name is then left as it was)
     */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        LinkedHashMap<String, String> m = new LinkedHashMap<>(metadata);
        m.put(MARKER, "1");
        m.put("example", example);
        m.put("epoch", Integer.toString(epoch));
        m.put("seed", Long.toString(seed));
        m.put("modules", String.join(",", modules));
        m.put("optimizers", String.join(",", optimizers));
        m.put("schedulers", String.join(",", schedulers));
        Safetensors.save(tensors, m, file);
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws IOException naming the file if it is missing, corrupt or not a checkpoint
     */
    public static Checkpoint load(Path file) throws IOException {
        return new Checkpoint(file, Safetensors.loadWithMetadata(file));
    }

    /**
     * Reads a module's state dict from either a checkpoint (the part {@code name}, or the only module if the
     * checkpoint holds exactly one and {@code name} is null) or a plain state-dict file. Arrays are on the CPU.
     *
     * @throws IOException if the file cannot be read, or the checkpoint has no such module
     */
    public static LinkedHashMap<String, Tensor> loadModuleState(Path file, String name) throws IOException {
        SafetensorsFile f = Safetensors.loadWithMetadata(file);
        if (!"1".equals(f.metadata().get(MARKER))) {
            return f.tensors();
        }
        Checkpoint ck = new Checkpoint(file, f);
        String n = name;
        if (n == null) {
            if (ck.modules.size() != 1) {
                throw new IOException("checkpoint " + file + " holds modules " + ck.modules + "; name the one to read");
            }
            n = ck.modules.get(0);
        }
        if (!ck.modules.contains(n)) {
            throw new IOException("checkpoint " + file + " has no module '" + n + "' (it holds " + ck.modules + ")");
        }
        return ck.moduleState(n);
    }

    /**
     * The checkpoint that {@code --resume} continues: the one at {@code file}, or null if there is none (said on
     * {@code log}). The run then takes the checkpoint's seed and starts at {@link #start}.
     *
     * @param example the example resuming
     * @param mode what the run trains, as the checkpoint's {@value #MODE} metadata must say (e.g. "wgan-gp"), or null
     *     for an example with one mode
     * @throws IOException if the file cannot be read, or was written by another example or in another mode
     */
    public static Checkpoint resumable(Path file, String example, String mode, PrintStream log) throws IOException {
        if (!Files.exists(file)) {
            log.println("resume: no checkpoint at " + file + ", starting from scratch");
            return null;
        }
        Checkpoint ck = load(file);
        String m = ck.meta(MODE);
        if (!ck.example().equals(example) || !Objects.equals(m, mode)) {
            throw new IOException(file + " is a checkpoint of " + run(ck.example(), m) + ", not of " + run(example, mode));
        }
        return ck;
    }

    private static String run(String example, String mode) {
        return "the '" + example + "' example" + (mode == null ? "" : " in mode '" + mode + "'");
    }

    /**
     * Where a resumed run of {@code total} epochs (or iterations: {@code unit}) starts: {@link #epoch()}, said on
     * {@code log}. A checkpoint that holds all {@code total} is the end of a finished run, perhaps killed before it
     * wrote its last outputs: the example then writes them again from the checkpoint without training.
     *
     * @throws IllegalArgumentException if the checkpoint holds more than {@code total}
     */
    public int start(int total, String unit, PrintStream log) {
        if (epoch > total) {
            throw new IllegalArgumentException(source + " holds " + epoch + " " + unit + "s, more than the " + total
                    + " of this run: resume with at least " + epoch);
        }
        if (epoch == total) {
            log.printf(Locale.ROOT, "resume: %s holds all %d %ss (seed %d): writing the outputs of the finished run%n",
                    source, total, unit, seed);
        } else {
            log.printf(Locale.ROOT, "resume: %s (seed %d), continuing with %s %d of %d%n", source, seed, unit,
                    epoch + 1, total);
        }
        return epoch;
    }

    /**
     * The {@link History} saved as metadata {@code history}, cut to the finished epochs, or {@code fresh} if there is
     * none.
     */
    public History history(History fresh) {
        String csv = meta("history");
        return csv == null ? fresh : History.fromCsv(csv).truncate(epoch);
    }

    /** The example that wrote it. */
    public String example() {
        return example;
    }

    /** Finished epochs: the 0-based index of the epoch to run next. */
    public int epoch() {
        return epoch;
    }

    /** The run's seed. */
    public long seed() {
        return seed;
    }

    /** The module names, in order. */
    public List<String> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** The optimizer names, in order. */
    public List<String> optimizers() {
        return Collections.unmodifiableList(optimizers);
    }

    /** A string added with {@link #meta(String, String)}, or null. */
    public String meta(String key) {
        return metadata.get("meta." + key);
    }

    /** The state dict of module {@code name} (CPU arrays, keys without the prefix). */
    public LinkedHashMap<String, Tensor> moduleState(String name) {
        if (!modules.contains(name)) {
            throw new IllegalArgumentException("Checkpoint: no module '" + name + "' (it holds " + modules + ")");
        }
        return strip(name, tensors);
    }

    /** Puts each entry of {@code entries} into {@code all} under {@code name + "."}; {@link #strip} undoes it. */
    private static <V> void putUnder(String name, Map<String, V> entries, Map<String, V> all) {
        for (Map.Entry<String, V> e : entries.entrySet()) {
            all.put(name + "." + e.getKey(), e.getValue());
        }
    }

    /** The entries of {@code all} under {@code name + "."}, with that prefix removed (tensors or metadata). */
    private static <V> LinkedHashMap<String, V> strip(String name, Map<String, V> all) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        String p = name + ".";
        for (Map.Entry<String, V> e : all.entrySet()) {
            if (e.getKey().startsWith(p)) {
                out.put(e.getKey().substring(p.length()), e.getValue());
            }
        }
        return out;
    }

    /**
     * Loads module {@code name} into {@code module}, strictly (every key present, every shape equal; nothing changed
     * otherwise), converting to the module's device and dtype.
     *
     * @throws IllegalArgumentException if there is no such module or the state does not fit
     */
    public void restore(String name, Module module) {
        module.loadStateDict(moduleState(name), true);
    }

    /**
     * Loads optimizer {@code name} into {@code optimizer} (built over the same parameters, in the same order; move
     * the model to its device first).
     *
     * @throws IllegalArgumentException if there is no such optimizer or its state does not fit
     */
    public void restore(String name, Optimizer<?> optimizer) {
        if (!optimizers.contains(name)) {
            throw new IllegalArgumentException("Checkpoint: no optimizer '" + name + "' (it holds " + optimizers + ")");
        }
        optimizer.loadStateDict(OptimizerStateDict.of(strip(name, tensors), strip(name, metadata)));
    }

    /** Loads scheduler {@code name} into {@code scheduler} (constructed with the same settings). */
    public void restore(String name, LRScheduler scheduler) {
        if (!schedulers.contains(name)) {
            throw new IllegalArgumentException("Checkpoint: no scheduler '" + name + "' (it holds " + schedulers + ")");
        }
        scheduler.loadStateDict(strip(name, metadata));
    }

    @Override
    public String toString() {
        return "Checkpoint(" + example + ", epoch " + epoch + ", seed " + seed + ", modules " + modules + ", optimizers "
                + optimizers + ")";
    }
}
