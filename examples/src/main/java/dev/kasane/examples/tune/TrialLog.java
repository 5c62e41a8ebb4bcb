package dev.kasane.examples.tune;

import dev.kasane.examples.common.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The run's checkpoint: one line per finished trial, {@code key<TAB>score}, appended (and forced to disk) as each
 * trial ends, so that a killed run loses at most the trial it was in. A resumed run takes every logged trial's score
 * instead of training it again; the searches are seeded, so they ask for the same trials in the same order.
 */
final class TrialLog {
    private final Path file;
    private final Map<String, Double> done;

    private TrialLog(Path file, Map<String, Double> done) {
        this.file = file;
        this.done = done;
    }

    /**
     * The log at {@code file}: the finished trials when resuming, none otherwise.
     *
     * @throws IOException naming the file and line if it cannot be read or a line is not {@code key<TAB>score}
     */
    static TrialLog open(Path file, boolean resume, PrintStream out) throws IOException {
        Map<String, Double> done = new LinkedHashMap<>();
        if (resume && Files.exists(file)) {
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                int tab = line.lastIndexOf('\t');
                try {
                    if (tab < 0) {
                        throw new NumberFormatException("no tab");
                    }
                    done.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1)));
                } catch (NumberFormatException e) {
                    if (line.isEmpty() && n == 1) {
                        continue;
                    }
                    throw new IOException(file + ", line " + n + ": not a finished trial (key<TAB>score): '" + line
                            + "'");
                }
            }
            out.println("resuming: " + done.size() + " finished trials in " + file);
        } else if (resume) {
            out.println("resuming: no " + file + " yet, starting afresh");
        }
        return new TrialLog(file, done);
    }

    /**
     * The score of trial {@code key}: logged, or computed by {@code train} and logged. Counts it in {@code progress}.
     * Trials may run on several threads at once; only the training runs outside the log's lock.
     */
    double score(String key, Progress progress, DoubleSupplier train) {
        if (key.indexOf('\t') >= 0 || key.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("TrialLog: a key holds a tab or newline: " + key);
        }
        Double s = logged(key);
        return finished(key, s != null ? s : train.getAsDouble(), s == null, progress);
    }

    private synchronized Double logged(String key) {
        return done.get(key);
    }

    private synchronized double finished(String key, double score, boolean isNew, Progress progress) {
        if (isNew) {
            done.put(key, score);
            try {
                Files.writeString(file, key + "\t" + score + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
            }
        }
        progress.step(1, Double.NaN);
        return score;
    }
}
