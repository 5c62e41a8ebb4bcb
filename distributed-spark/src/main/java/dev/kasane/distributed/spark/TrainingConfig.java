package dev.kasane.distributed.spark;

import java.io.Serializable;

/**
 * Everything a task needs to train, shipped with it to the executors ({@link SparkTrainer.Builder} builds it).
 *
 * @param averagingPeriod 0 for synchronous SGD, else the local steps between parameter averages
 * @param failure a fault injected once for the fault-tolerance tests; null normally
 */
record TrainingConfig(ModelFactory model, LossFunction loss, OptimizerFactory optimizer, SampleShape shape,
        int workers, int batchSize, int epochs, long seed, boolean shuffle, String checkpointDir, int checkpointEvery,
        int logEvery, int timeoutMillis, int averagingPeriod, InjectedFailure failure) implements Serializable {

    /** Each worker's batch: the global batch divided by the number of workers. */
    int localBatch() {
        return batchSize / workers;
    }

    /**
     * A fault for tests: worker {@code rank} fails before its step {@code step} (counted from the start of the run)
     * in the first attempt of the stage only, by throwing, or by halting its executor's JVM (a killed executor).
     */
    record InjectedFailure(long step, int rank, boolean haltJvm) implements Serializable {
        void maybeFail(int attempt, int workerRank, long globalStep) {
            if (attempt == 0 && workerRank == rank && globalStep == step) {
                if (haltJvm) {
                    Runtime.getRuntime().halt(3);
                }
                throw new IllegalStateException("SparkTrainer: injected failure of worker " + rank + " before step "
                        + step + " (attempt 0)");
            }
        }
    }
}
