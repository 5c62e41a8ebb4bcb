package dev.kasane.distributed.spark;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What the workers of one parameter-averaging round return, summed by {@code treeAggregate}: the sum of their
 * state vectors (parameters and buffers), how many they were, their losses and samples, the longest compute time,
 * and each worker's optimizer state (safetensors bytes, by partition), which stays its own.
 */
final class AveragingContribution implements Serializable {
    private static final long serialVersionUID = 1L;

    float[] stateSum;
    int workers;
    double lossSum;
    long steps;
    long samples;
    double computeSeconds;
    final TreeMap<Integer, byte[]> optimizerStates = new TreeMap<>();

    /** Adds {@code other} into this one and returns this. */
    AveragingContribution merge(AveragingContribution other) {
        if (other.stateSum != null) {
            if (stateSum == null) {
                stateSum = other.stateSum.clone();
            } else {
                for (int i = 0; i < stateSum.length; i++) {
                    stateSum[i] += other.stateSum[i];
                }
            }
        }
        workers += other.workers;
        lossSum += other.lossSum;
        steps = Math.max(steps, other.steps);
        samples += other.samples;
        computeSeconds = Math.max(computeSeconds, other.computeSeconds);
        optimizerStates.putAll(other.optimizerStates);
        return this;
    }
}
