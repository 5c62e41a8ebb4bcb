package dev.kasane.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm1d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both modes on {@code local[2]} against single-process references computed here with plain Kasane, on a tiny
 * classifier (8 inputs, 3 classes, 64 samples, global batch 8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTrainerTest {
    static final int SAMPLES = 64;
    static final int BATCH = 8;
    static final SampleShape SHAPE = SampleShape.classification(8);

    private JavaSparkContext sc;
    private final List<Example> data = data();

    @BeforeAll
    void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkTrainerTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    void stopSpark() {
        sc.close();
    }

    static List<Example> data() {
        Random random = new Random(1);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            float[] x = new float[8];
            for (int j = 0; j < 8; j++) {
                x[j] = (float) random.nextGaussian();
            }
            out.add(Example.of(x, (x[0] + x[1] > 0 ? 1 : 0) + (x[2] > 0.5 ? 1 : 0)));
        }
        return out;
    }

    static Module mlp() {
        Generator.seedGlobal(7);
        return new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3));
    }

    static Module mlpWithBatchNorm() {
        Generator.seedGlobal(7);
        return new Sequential(new Linear(8, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 3));
    }

    static Optimizer<?> sgd(List<Tensor> p) {
        return new SGD(p, SGD.options().lr(0.1).momentum(0.9));
    }

    private SparkTrainer.Builder trainer(ModelFactory model) {
        return SparkTrainer.builder(model, F::crossEntropy, SparkTrainerTest::sgd).shape(SHAPE).batchSize(BATCH)
                .shuffle(false).logEvery(2).progress(p -> { });
    }

    /**
     * One process, one optimizer, the same global batches: step s takes rows {@code [s*b, (s+1)*b)} of each of the
     * {@code workers} contiguous slices of the data, {@code b = BATCH / workers}.
     */
    private LinkedHashMap<String, Tensor> oneProcess(ModelFactory factory, int workers, int steps) {
        Module model = factory.create();
        model.train();
        Optimizer<?> opt = sgd(model.parameters());
        int b = BATCH / workers;
        int slice = SAMPLES / workers;
        for (int s = 0; s < steps; s++) {
            int[] rows = new int[BATCH];
            for (int w = 0; w < workers; w++) {
                for (int i = 0; i < b; i++) {
                    rows[w * b + i] = w * slice + s * b + i;
                }
            }
            Tensor[] batch = SHAPE.batch(data, rows, 0, BATCH);
            opt.zeroGrad();
            F.crossEntropy(model.forward(batch[0]), batch[1]).backward();
            opt.step();
        }
        return model.stateDict();
    }

    private static void assertStatesEqual(Map<String, Tensor> expected, Map<String, Tensor> actual, double tolerance) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            double[] e = expected.get(k).toDoubleArray();
            double[] a = actual.get(k).toDoubleArray();
            if (tolerance == 0) {
                assertArrayEquals(e, a, k);
            } else {
                assertArrayEquals(e, a, tolerance, k);
            }
        }
    }

    private JavaRDD<Example> rdd(int partitions) {
        return sc.parallelize(data, partitions);
    }

    @Test
    void oneWorkerIsBitForBitTheSingleProcessLoop() {
        TrainingResult r = trainer(SparkTrainerTest::mlp).epochs(1).build().fit(rdd(1));
        assertStatesEqual(oneProcess(SparkTrainerTest::mlp, 1, SAMPLES / BATCH), r.model().stateDict(), 0);
    }

    @Test
    void twoWorkersWithHalfBatchesTakeTheStepsOfOneProcess() {
        TrainingResult r = trainer(SparkTrainerTest::mlp).epochs(1).build().fit(rdd(2));
        // 8 steps; the gradient of 8 samples is summed as two halves of 4 (float rounding): tolerance 1e-5 absolute
        assertStatesEqual(oneProcess(SparkTrainerTest::mlp, 2, SAMPLES / BATCH), r.model().stateDict(), 1e-5);
        assertEquals(SAMPLES, r.samples());
        // reports after steps 2, 4, 6, 8 of epoch 1, from worker 0 through the driver's progress channel
        assertEquals(List.of(2L, 4L, 6L, 8L), r.progress().stream().map(TrainingProgress::step).toList());
        assertTrue(r.progress().stream().allMatch(p -> p.loss() > 0 && p.samplesPerSecond() > 0), r.progress()
                .toString());
    }

    @Test
    void batchNormRunningMeanIsAveragedOverTheWorkers() {
        // one step: each worker's batch mean of 4 samples, averaged = the mean of the 8 (running_var would not be)
        TrainingResult r = SparkTrainer.builder(SparkTrainerTest::mlpWithBatchNorm, F::crossEntropy,
                SparkTrainerTest::sgd).shape(SHAPE).batchSize(SAMPLES).shuffle(false).progress(p -> { }).build()
                .fit(rdd(2));
        Module reference = mlpWithBatchNorm();
        reference.train();
        Tensor[] all = SHAPE.batch(data, identity(SAMPLES), 0, SAMPLES);
        reference.forward(all[0]);
        // float means of 32 and 64 values: tolerance 1e-6
        assertArrayEquals(reference.stateDict().get("1.running_mean").toFloatArray(),
                r.model().stateDict().get("1.running_mean").toFloatArray(), 1e-6f);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Test
    void aFailedTaskRetriesTheStageFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Map<String, Tensor> uninterrupted = trainer(SparkTrainerTest::mlp).epochs(2).shuffle(true).build()
                .fit(rdd(2)).model().stateDict();
        TrainingResult r = trainer(SparkTrainerTest::mlp).epochs(2).shuffle(true).checkpointDir(dir.toString())
                .checkpointEvery(4).injectFailure(10, 1, false).build().fit(rdd(2));
        // worker 1 threw before step 10 (0-based) of attempt 0; attempt 1 resumed after step 8, the last checkpoint
        assertEquals(List.of(8L), r.resumedFrom());
        assertStatesEqual(uninterrupted, r.model().stateDict(), 0);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("checkpoint-000000000016.safetensors"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).toList());
        }
        // a new fit with the same directory finds the finished run and trains no more steps
        TrainingResult again = trainer(SparkTrainerTest::mlp).epochs(2).shuffle(true).checkpointDir(dir.toString())
                .build().fit(rdd(2));
        assertEquals(List.of(16L), again.resumedFrom());
        assertStatesEqual(uninterrupted, again.model().stateDict(), 0);
    }

    @Test
    void parameterAveragingAveragesReplicasThatKeepTheirOwnOptimizer() {
        int k = 3;
        TrainingResult r = SparkTrainer.builder(SparkTrainerTest::mlpWithBatchNorm, F::crossEntropy,
                SparkTrainerTest::sgd).shape(SHAPE).batchSize(BATCH).shuffle(false).averageEvery(k).progress(p -> { })
                .build().fit(rdd(2));
        // reference: two replicas with their own SGD-with-momentum; after steps 3, 6 and 8 (8 steps per epoch),
        // every parameter and buffer is replaced by the two replicas' mean
        Module[] replicas = {mlpWithBatchNorm(), mlpWithBatchNorm()};
        List<Optimizer<?>> opts = new ArrayList<>();
        for (Module m : replicas) {
            m.train();
            opts.add(sgd(m.parameters()));
        }
        int b = BATCH / 2;
        int steps = SAMPLES / 2 / b;
        for (int s = 0; s < steps; s++) {
            for (int w = 0; w < 2; w++) {
                Tensor[] batch = SHAPE.batch(data.subList(w * SAMPLES / 2, (w + 1) * SAMPLES / 2), identity(SAMPLES / 2),
                        s * b, (s + 1) * b);
                opts.get(w).zeroGrad();
                F.crossEntropy(replicas[w].forward(batch[0]), batch[1]).backward();
                opts.get(w).step();
            }
            if ((s + 1) % k == 0 || s == steps - 1) {
                average(replicas);
            }
        }
        // the same float operations in the same order (a + b, then times 0.5): tolerance 1e-6
        assertStatesEqual(replicas[0].stateDict(), r.model().stateDict(), 1e-6);
        assertEquals(SAMPLES, r.samples());
    }

    private static void average(Module[] replicas) {
        Map<String, Tensor> a = replicas[0].stateDict();
        Map<String, Tensor> b = replicas[1].stateDict();
        for (String key : a.keySet()) {
            Tensor mean = a.get(key).detach().add(b.get(key).detach()).mul(0.5);
            a.get(key).detach().copyFrom(mean);
            b.get(key).detach().copyFrom(mean);
        }
    }

    @Test
    void rejectsABatchThatTheWorkersCannotShare() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(SparkTrainerTest::mlp).batchSize(7).build().fit(rdd(2)));
        assertEquals("SparkTrainer.fit: batch size 7 is not a multiple of the 2 workers", e.getMessage());
    }

    @Test
    void rejectsMoreWorkersThanPartitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(SparkTrainerTest::mlp).workers(2).build().fit(rdd(1)));
        assertEquals("SparkTrainer.fit: the RDD has 1 partitions, fewer than the 2 workers; repartition it",
                e.getMessage());
    }
}
