package dev.kasane.selection;

import dev.kasane.io.Safetensors;
import dev.kasane.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the {@code k} best checkpoints by a metric (Lightning's {@code ModelCheckpoint(monitor, mode, save_top_k)}):
 * call {@link #step} once per epoch; the model's state dict is saved as {@code epoch=<e>-<metric>=<value>.safetensors}
 * in the directory when it ranks among the best {@code k} so far, and the checkpoint it displaces is deleted. Only
 * files this object wrote are ever deleted.
 *
 * <pre>{@code
 * var checkpoints = new ModelCheckpoint(out, "val_acc", Mode.MAX, 3);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     trainOneEpoch();
 *     checkpoints.step(model, epoch, validationAccuracy());
 * }
 * checkpoints.loadBest(model);
 * }</pre>
 */
public final class ModelCheckpoint {
    /**
     * A kept checkpoint.
     *
     * @param file its file
     * @param epoch the epoch it was saved at
     * @param metric the metric it was saved with
     */
    public record Saved(Path file, int epoch, double metric) {
    }

    private final Path dir;
    private final String metricName;
    private final Mode mode;
    private final int keep;
    private final List<Saved> saved = new ArrayList<>();

    /**
     * @param dir the directory of the checkpoints (created if needed)
     * @param metricName the metric's name in file names, e.g. {@code val_acc}
     * @param mode whether lower or higher metrics are better
     * @param keep how many checkpoints to keep, at least 1
     * @throws IllegalArgumentException if {@code keep < 1} or the name is empty or holds a path separator
     */
    public ModelCheckpoint(Path dir, String metricName, Mode mode, int keep) {
        this.dir = Objects.requireNonNull(dir, "ModelCheckpoint: dir");
        this.mode = Objects.requireNonNull(mode, "ModelCheckpoint: mode");
        if (metricName == null || metricName.isEmpty() || metricName.contains("/") || metricName.contains("\\")) {
            throw new IllegalArgumentException("ModelCheckpoint: metricName must be a non-empty name without a path "
                    + "separator, got '" + metricName + "'");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("ModelCheckpoint: keep must be >= 1, got " + keep);
        }
        this.metricName = metricName;
        this.keep = keep;
    }

    /**
     * Saves {@code model}'s state dict if {@code metric} ranks among the best {@code keep} so far (ties go to the
     * earlier checkpoint; a NaN metric is never saved), with the epoch and metric in the file's metadata, and deletes
     * the checkpoint that drops out.
     *
     * @return the file written, or empty if the model was not saved
     * @throws IOException if writing or deleting fails
     */
    public Optional<Path> step(Module model, int epoch, double metric) throws IOException {
        Objects.requireNonNull(model, "ModelCheckpoint.step: model");
        if (Double.isNaN(metric) || (saved.size() == keep && !mode.improves(metric, worst().metric(), 0))) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format(Locale.ROOT, "epoch=%d-%s=%.4f.safetensors", epoch, metricName, metric));
        Safetensors.save(model.stateDict(), Map.of("epoch", Integer.toString(epoch), metricName, Double.toString(metric)),
                file);
        if (saved.size() == keep) {
            Saved out = worst();
            saved.remove(out);
            if (!out.file().equals(file)) {
                Files.deleteIfExists(out.file());
            }
        }
        saved.removeIf(s -> s.file().equals(file));
        saved.add(new Saved(file, epoch, metric));
        saved.sort(ranking());
        return Optional.of(file);
    }

    /** The kept checkpoints, best first. */
    public List<Saved> best() {
        return List.copyOf(saved);
    }

    /**
     * Loads the best checkpoint into {@code model} (strictly: every key must match).
     *
     * @throws IllegalStateException if nothing was saved yet
     * @throws IOException if the file cannot be read
     */
    public void loadBest(Module model) throws IOException {
        if (saved.isEmpty()) {
            throw new IllegalStateException("ModelCheckpoint.loadBest: no checkpoint was saved in " + dir);
        }
        model.loadStateDict(Safetensors.load(saved.get(0).file()), true);
    }

    private Saved worst() {
        return saved.get(saved.size() - 1);
    }

    /** Best first; among equal metrics the earlier epoch first. */
    private Comparator<Saved> ranking() {
        Comparator<Saved> byMetric = Comparator.comparingDouble(Saved::metric);
        return (mode == Mode.MAX ? byMetric.reversed() : byMetric).thenComparingInt(Saved::epoch);
    }
}
