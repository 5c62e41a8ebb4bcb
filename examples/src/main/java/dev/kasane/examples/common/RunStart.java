package dev.kasane.examples.common;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a run starts: at epoch 0 with {@code --seed}, or with {@code --resume} at its checkpoint's epoch (or
 * iteration) with the checkpoint's seed; and how its checkpoints are written and read back.
 *
 * <pre>{@code
 * RunStart from = RunStart.of(args, Checkpoint.file(dir), null, epochs, "epoch", out);
 * Generator.seedGlobal(from.seed());
 * ... build the model and optimizer ...
 * CheckpointParts parts = new CheckpointParts().add("model", model).add("opt", opt);
 * History history = from.restore(parts, new History("epoch", "loss"));
 * for (int epoch = from.epoch(); epoch < epochs; epoch++) {
 *     ...
 *     from.save(parts, epoch + 1, history);
 * }
 * }</pre>
 *
 * @param file the run's checkpoint file
 * @param example the example's name, written into its checkpoints
 * @param mode what the run trains ({@value Checkpoint#MODE} metadata of its checkpoints), or null
 * @param checkpoint the checkpoint the run continues, or null for a fresh run
 * @param epoch the first epoch (or iteration) to run
 * @param seed the run's seed
 */
public record RunStart(Path file, String example, String mode, Checkpoint checkpoint, int epoch, long seed) {
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
        return ck == null ? new RunStart(file, args.example(), mode, null, 0, args.seed())
                : new RunStart(file, args.example(), mode, ck, ck.start(total, unit, log), ck.seed());
    }

    /** One epoch of {@link #runEpochs}. */
    @FunctionalInterface
    public interface Epoch {
        /**
         * Trains epoch {@code epoch} (0-based), recording its steps in {@code progress} (whose epoch has started) and
         * ending it there, and logging to {@code tb}.
         */
        void run(int epoch, Progress progress, TensorBoardLog tb) throws IOException;
    }

    /** What a run resumed after its last epoch does instead of training, e.g. write its outputs again. */
    @FunctionalInterface
    public interface Finished {
        /** Runs it. */
        void run() throws IOException;
    }

    /**
     * Runs epochs {@link #epoch} to {@code epochs - 1}: each reseeds the global generator ({@link Seeds#startEpoch})
     * and starts its epoch in a {@link Progress} of {@code stepsPerEpoch} steps that prints to {@code log} (every
     * {@code --log-every} steps when not on a terminal), which the TensorBoard log of {@code --logdir} follows. A run
     * resumed after its last epoch (killed after its last checkpoint, or its outputs lost) runs {@code finished}.
     *
     * @return the epochs run
     */
    public int runEpochs(Args args, int epochs, int stepsPerEpoch, PrintStream log, Epoch epoch, Finished finished)
            throws IOException {
        Progress progress = new Progress(epochs, stepsPerEpoch).logEvery(args.logEvery()).output(log);
        try (TensorBoardLog tb = TensorBoardLog.open(args, log).follow(progress)) {
            for (int e = this.epoch; e < epochs; e++) {
                Seeds.startEpoch(seed, e);
                progress.startEpoch(e);
                epoch.run(e, progress, tb);
            }
            if (this.epoch == epochs) {
                finished.run();
            }
        }
        return Math.max(0, epochs - this.epoch);
    }

    /** Whether the run continues a checkpoint. */
    public boolean resumed() {
        return checkpoint != null;
    }

    /**
     * Restores {@code parts} from the checkpoint the run continues and returns its history cut to its epochs; a fresh
     * run restores nothing and gets {@code fresh}.
     *
     * @throws IllegalArgumentException if a part is missing from the checkpoint or does not fit
     */
    public History restore(CheckpointParts parts, History fresh) {
        if (checkpoint == null) {
            return fresh;
        }
        parts.restoreFrom(checkpoint);
        return checkpoint.history(fresh);
    }

    /**
     * Writes the run's checkpoint after {@code done} epochs (or iterations): {@code parts}, the mode (if any) and
     * {@code history}, atomically to {@link #file}.
     */
    public void save(CheckpointParts parts, int done, History history) throws IOException {
        Checkpoint ck = parts.addTo(new Checkpoint(example, done, seed));
        if (mode != null) {
            ck.meta(Checkpoint.MODE, mode);
        }
        ck.meta("history", history.toCsv()).save(file);
    }
}
