package dev.kasane.distributed.spark;

import java.io.PrintStream;

/** Receives a distributed run's progress on the driver (called from one thread at a time). */
@FunctionalInterface
public interface ProgressListener {
    /** A progress report. */
    void onProgress(TrainingProgress progress);

    /** A run resumed from a checkpoint after {@code finishedSteps} steps (rounds, for parameter averaging). */
    default void onResume(long finishedSteps) {
    }

    /** Prints each report (and each resume) as a line to {@code out}. */
    static ProgressListener printingTo(PrintStream out) {
        return new ProgressListener() {
            @Override
            public void onProgress(TrainingProgress progress) {
                out.println(progress);
            }

            @Override
            public void onResume(long finishedSteps) {
                out.println("resumed from the checkpoint after step " + finishedSteps);
            }
        };
    }
}
