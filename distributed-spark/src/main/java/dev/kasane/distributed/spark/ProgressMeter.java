package dev.kasane.distributed.spark;

/**
 * Accumulates steps between two progress reports (loss, samples, time, communication time) and over the whole run.
 */
final class ProgressMeter {
    private final int epochs;
    private final long stepsPerEpoch;
    private double lossSum;
    private long steps;
    private long samples;
    private double seconds;
    private double communicationSeconds;
    private long totalSamples;
    private double totalSeconds;
    private double totalCommunicationSeconds;

    ProgressMeter(int epochs, long stepsPerEpoch) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** Adds {@code stepCount} steps of mean loss {@code meanLoss}. */
    void add(int stepCount, double meanLoss, long sampleCount, double wallSeconds, double commSeconds) {
        lossSum += meanLoss * stepCount;
        steps += stepCount;
        samples += sampleCount;
        seconds += wallSeconds;
        communicationSeconds += commSeconds;
        totalSamples += sampleCount;
        totalSeconds += wallSeconds;
        totalCommunicationSeconds += commSeconds;
    }

    /** The report after {@code finishedSteps} steps of the run, and a fresh interval. */
    TrainingProgress report(long finishedSteps) {
        long epoch = (finishedSteps - 1) / stepsPerEpoch;
        TrainingProgress p = new TrainingProgress((int) epoch + 1, epochs, finishedSteps - epoch * stepsPerEpoch,
                stepsPerEpoch, lossSum / Math.max(1, steps), samples / Math.max(seconds, 1e-9),
                communicationSeconds / Math.max(seconds, 1e-9));
        lossSum = 0;
        steps = 0;
        samples = 0;
        seconds = 0;
        communicationSeconds = 0;
        return p;
    }

    /** Whether a report is due after {@code finishedSteps} steps: every {@code every} steps and at epoch ends. */
    boolean due(long finishedSteps, int every) {
        return finishedSteps % every == 0 || finishedSteps % stepsPerEpoch == 0;
    }

    long totalSamples() {
        return totalSamples;
    }

    double totalSeconds() {
        return totalSeconds;
    }

    double totalCommunicationSeconds() {
        return totalCommunicationSeconds;
    }
}
