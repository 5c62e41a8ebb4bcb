package dev.kasane.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.kasane.distributed.spark.TinyProblem.BATCH;
import static dev.kasane.distributed.spark.TinyProblem.SAMPLES;
import static dev.kasane.distributed.spark.TinyProblem.SHAPE;
import static dev.kasane.distributed.spark.TinyProblem.assertStatesEqual;
import static dev.kasane.distributed.spark.TinyProblem.identity;
import static dev.kasane.distributed.spark.TinyProblem.oneProcess;
import static dev.kasane.distributed.spark.TinyProblem.parameterAveraging;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both modes on {@code local[2]} against single-process references ({@link TinyProblem}).
 */
class SparkTrainerTest extends LocalSparkTest {
    private final List<Example> data = TinyProblem.data();

    private JavaRDD<Example> rdd(int partitions) {
        return sc.parallelize(data, partitions);
    }

    @Test
    void oneWorkerIsBitForBitTheSingleProcessLoop() {
        TrainingResult r = TinyProblem.trainer().epochs(1).build().fit(rdd(1));
        assertStatesEqual(oneProcess(TinyProblem::mlp, 1, SAMPLES / BATCH), r.model().stateDict(), 0);
    }

    @Test
    void twoWorkersWithHalfBatchesTakeTheStepsOfOneProcess() {
        TrainingResult r = TinyProblem.trainer().epochs(1).build().fit(rdd(2));
        // 8 steps; the gradient of 8 samples is summed as two halves of 4 (float rounding): tolerance 1e-5 absolute
        assertStatesEqual(oneProcess(TinyProblem::mlp, 2, SAMPLES / BATCH), r.model().stateDict(), 1e-5);
        assertEquals(SAMPLES, r.samples());
        // reports after steps 2, 4, 6, 8 of epoch 1, from worker 0 through the driver's progress channel
        assertEquals(List.of(2L, 4L, 6L, 8L), r.progress().stream().map(TrainingProgress::step).toList());
        assertTrue(r.progress().stream().allMatch(p -> p.loss() > 0 && p.samplesPerSecond() > 0), r.progress()
                .toString());
    }

    @Test
    void batchNormRunningMeanIsAveragedOverTheWorkers() {
        // one step: each worker's batch mean of 4 samples, averaged = the mean of the 8 (running_var would not be)
        TrainingResult r = SparkTrainer.builder(TinyProblem::mlpWithBatchNorm, F::crossEntropy,
                TinyProblem::sgd).shape(SHAPE).batchSize(SAMPLES).shuffle(false).progress(p -> { }).build()
                .fit(rdd(2));
        Module reference = TinyProblem.mlpWithBatchNorm();
        reference.train();
        Tensor[] all = SHAPE.batch(data, identity(SAMPLES), 0, SAMPLES);
        reference.forward(all[0]);
        // float means of 32 and 64 values: tolerance 1e-6
        assertArrayEquals(reference.stateDict().get("1.running_mean").toFloatArray(),
                r.model().stateDict().get("1.running_mean").toFloatArray(), 1e-6f);
    }

    @Test
    void aFailedTaskRetriesTheStageFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Map<String, Tensor> uninterrupted = TinyProblem.trainer().epochs(2).shuffle(true).build()
                .fit(rdd(2)).model().stateDict();
        TrainingResult r = TinyProblem.trainer().epochs(2).shuffle(true).checkpointDir(dir.toString())
                .checkpointEvery(4).injectFailure(10, 1, false).build().fit(rdd(2));
        // worker 1 threw before step 10 (0-based) of attempt 0; attempt 1 resumed after step 8, the last checkpoint
        assertEquals(List.of(8L), r.resumedFrom());
        assertStatesEqual(uninterrupted, r.model().stateDict(), 0);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("checkpoint-000000000016.safetensors"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).toList());
        }
        // a new fit with the same directory finds the finished run and trains no more steps
        TrainingResult again = TinyProblem.trainer().epochs(2).shuffle(true).checkpointDir(dir.toString())
                .build().fit(rdd(2));
        assertEquals(List.of(16L), again.resumedFrom());
        assertStatesEqual(uninterrupted, again.model().stateDict(), 0);
    }

    @Test
    void parameterAveragingAveragesReplicasThatKeepTheirOwnOptimizer() {
        int k = 3;
        TrainingResult r = SparkTrainer.builder(TinyProblem::mlpWithBatchNorm, F::crossEntropy,
                TinyProblem::sgd).shape(SHAPE).batchSize(BATCH).shuffle(false).averageEvery(k).progress(p -> { })
                .build().fit(rdd(2));
        // the same float operations in the same order (a + b, then times 0.5): tolerance 1e-6
        assertStatesEqual(parameterAveraging(k), r.model().stateDict(), 1e-6);
        assertEquals(SAMPLES, r.samples());
    }

    @Test
    void anRddWithMorePartitionsThanWorkersIsRepartitioned() {
        // coalescing inside the barrier stage would be refused by Spark; the trainer shuffles into 2 partitions
        TrainingResult r = TinyProblem.trainer().workers(2).build().fit(rdd(4));
        assertEquals(SAMPLES, r.samples());
    }

    @Test
    void rejectsABatchThatTheWorkersCannotShare() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinyProblem.trainer().batchSize(7).build().fit(rdd(2)));
        assertEquals("SparkTrainer.fit: batch size 7 is not a multiple of the 2 workers", e.getMessage());
    }

    @Test
    void rejectsMoreWorkersThanPartitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinyProblem.trainer().workers(2).build().fit(rdd(1)));
        assertEquals("SparkTrainer.fit: the RDD has 1 partitions, fewer than the 2 workers; repartition it",
                e.getMessage());
    }
}
