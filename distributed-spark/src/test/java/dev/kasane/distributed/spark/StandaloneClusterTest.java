package dev.kasane.distributed.spark;

import static dev.kasane.distributed.spark.TinyProblem.SAMPLES;
import static dev.kasane.distributed.spark.TinyProblem.BATCH;
import static dev.kasane.distributed.spark.TinyProblem.assertStatesEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both modes on a real standalone cluster on loopback ({@link LoopbackCluster}: a master and two one-core workers,
 * so each worker replica runs in its own executor JVM and the ring's TCP connections cross processes), including
 * the death of an executor JVM in the middle of a run.
 */
class StandaloneClusterTest {
    @Test
    void trainsOnTwoExecutorsAndSurvivesAKilledExecutor(@TempDir Path dir) throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster(dir, 2);
                JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(cluster.masterUrl())
                        .setAppName("StandaloneClusterTest").set("spark.ui.enabled", "false")
                        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                        .set("spark.executor.cores", "1").set("spark.cores.max", "2")
                        .set("spark.executor.memory", "512m")
                        .set("spark.executor.extraClassPath", LoopbackCluster.executorClassPath())
                        .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector"))) {
            awaitExecutors(sc, 2);
            JavaRDD<Example> data = sc.parallelize(TinyProblem.data(), 2);

            // synchronous SGD across the two executor JVMs: the steps of one process (tolerance as on local[2])
            TrainingResult sync = TinyProblem.trainer().build().fit(data);
            assertStatesEqual(TinyProblem.oneProcess(TinyProblem::mlp, 2, SAMPLES / BATCH), sync.model().stateDict(),
                    1e-5);

            // worker 1's executor JVM halts before step 5 (0-based) of attempt 0: Spark loses the executor, the
            // master starts a new one, the barrier stage runs again and resumes after step 4, the last checkpoint
            TrainingResult killed = TinyProblem.trainer().checkpointDir(dir.resolve("checkpoints").toString())
                    .checkpointEvery(2).injectFailure(5, 1, true).build().fit(data);
            assertEquals(List.of(4L), killed.resumedFrom());
            assertStatesEqual(sync.model().stateDict(), killed.model().stateDict(), 0);

            // parameter averaging every 3 steps through treeAggregate (tolerance as on local[2])
            Map<String, Tensor> averaged = SparkTrainer.builder(TinyProblem::mlpWithBatchNorm, F::crossEntropy,
                    TinyProblem::sgd).shape(TinyProblem.SHAPE).batchSize(BATCH).shuffle(false).averageEvery(3)
                    .progress(p -> { }).build().fit(data).model().stateDict();
            assertStatesEqual(TinyProblem.parameterAveraging(3), averaged, 1e-6);
        }
    }

    private static void awaitExecutors(JavaSparkContext sc, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        // getExecutorInfos includes the driver
        while (sc.sc().statusTracker().getExecutorInfos().length < n + 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the loopback cluster did not start " + n + " executors within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
