package dev.kasane.examples.common;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a run starts: at epoch 0 with {@code --seed}, or with {@code --resume} at its checkpoint's epoch (or
 * iteration) with the checkpoint's seed.
 *
 * <pre>{@code
 * RunStart from = RunStart.of(args, Checkpoint.file(dir), null, epochs, "epoch", out);
 * for (int epoch = from.epoch(); epoch < epochs; epoch++) { ... Seeds.startEpoch(from.seed(), epoch); ... }
 * }</pre>
 *
 * @param file the run's checkpoint file
 * @param checkpoint the checkpoint the run continues, or null for a fresh run
 * @param epoch the first epoch (or iteration) to run
 * @param seed the run's seed
 */
public record RunStart(Path file, Checkpoint checkpoint, int epoch, long seed) {
    /**
     * The start of a run of {@code args.example()} over {@code total} epochs (or iterations: {@code unit}), said on
     * {@code log} when resuming (see {@link Checkpoint#resumable} and {@link Checkpoint#start}).
     *
     * @param mode what the run trains, as the checkpoint must say, or null for an example with one mode
     * @throws IOException if the checkpoint cannot be read, or was written by another example or in another mode
     */
    public static RunStart of(Args args, Path file, String mode, int total, String unit, PrintStream log)
            throws IOException {
        Checkpoint ck = args.resume() ? Checkpoint.resumable(file, args.example(), mode, log) : null;
        return ck == null ? new RunStart(file, null, 0, args.seed()) : new RunStart(file, ck, ck.start(total, unit, log),
                ck.seed());
    }

    /** Whether the run continues a checkpoint. */
    public boolean resumed() {
        return checkpoint != null;
    }
}
