package dev.kasane.distributed.spark;

import dev.kasane.nn.Module;
import java.util.List;

/**
 * What {@link SparkTrainer#fit} returns.
 *
 * @param model the trained model, on the driver (built by the model factory, holding the final weights and buffers)
 * @param progress every progress report, in order
 * @param resumedFrom the finished steps (rounds, for parameter averaging) that each resume from a checkpoint
 *     started after: empty for a run that never failed nor found a checkpoint
 * @param seconds training time of the steps that led to the final model (of the last attempt, without Spark's
 *     scheduling before it)
 * @param samples samples of all workers trained in those seconds
 * @param communicationSeconds of {@code seconds}, the time spent exchanging gradients (synchronous SGD: worker 0's
 *     time in the all-reduce) or parameters (averaging: each round's time beyond its slowest worker's compute)
 */
public record TrainingResult(Module model, List<TrainingProgress> progress, List<Long> resumedFrom, double seconds,
        long samples, double communicationSeconds) {
    /** Copies the lists. */
    public TrainingResult {
        progress = List.copyOf(progress);
        resumedFrom = List.copyOf(resumedFrom);
    }

    /** Samples per second over the whole run. */
    public double samplesPerSecond() {
        return samples / Math.max(seconds, 1e-9);
    }

    /** The share of the time spent communicating (0 to 1). */
    public double communicationShare() {
        return communicationSeconds / Math.max(seconds, 1e-9);
    }
}
