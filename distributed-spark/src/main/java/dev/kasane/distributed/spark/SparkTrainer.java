package dev.kasane.distributed.spark;

import dev.kasane.io.SafetensorsFile;
import dev.kasane.nn.Module;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training of any {@link Module} on Apache Spark, one model replica per partition of an RDD of
 * {@link Example}s. Two modes:
 *
 * <ul>
 *   <li><b>Synchronous SGD</b> (the default): one barrier stage ({@code RDD.barrier()}) in which every task is a
 *       worker holding a replica; each step every worker computes the gradients of its {@code batchSize / workers}
 *       samples, the workers sum them with a ring all-reduce over TCP (addresses exchanged with
 *       {@code BarrierTaskContext.allGather}), divide by the number of workers and step their optimizers. N workers
 *       thus take the step that one process takes with the whole batch (the same up to float rounding: the
 *       gradient is summed in another order), and every replica holds bit-identical weights and optimizer state.
 *       BatchNorm normalises with each worker's own batch statistics (like PyTorch's DistributedDataParallel
 *       without SyncBatchNorm); its running statistics are averaged over the workers after every step.</li>
 *   <li><b>Parameter averaging</b> ({@link Builder#averageEvery(int)}): every {@code K} local steps the workers'
 *       weights and buffers are averaged through {@code treeAggregate}; each worker keeps its own optimizer state.
 *       For slow networks: it communicates once per {@code K} steps, but K local steps are not one large step.</li>
 * </ul>
 *
 * <p>Each worker goes through its partition once per epoch in an order seeded by (seed, epoch, partition); an epoch
 * has {@code smallest partition / (batchSize / workers)} steps (the rest of each partition is left out that epoch).
 *
 * <p><b>Fault tolerance.</b> With a {@link Builder#checkpointDir checkpoint directory} (any Hadoop filesystem URI
 * that the driver and every executor reach, or a local path on a one-machine cluster), worker 0 writes a safetensors
 * checkpoint (model, optimizer, finished steps) every {@link Builder#checkpointEvery} steps. When a task fails,
 * Spark retries the whole barrier stage and the new attempt resumes from the latest checkpoint, so the run ends
 * with the weights of an uninterrupted one. A new {@code fit} with the same directory resumes too.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.builder(() -> new LeNet5(10), F::crossEntropy, p -> new SGD(p, 0.05))
 *         .shape(SampleShape.classification(1, 28, 28)).batchSize(64).epochs(2)
 *         .checkpointDir("hdfs:///user/me/lenet-checkpoints").build();
 * TrainingResult result = trainer.fit(Examples.parallelize(sc, trainSet, 2));
 * }</pre>
 */
public final class SparkTrainer {
    private final TrainingConfig config;
    private final ProgressListener listener;

    private SparkTrainer(TrainingConfig config, ProgressListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** A builder for a trainer of {@code model}'s replicas with {@code loss} and {@code optimizer}. */
    public static Builder builder(ModelFactory model, LossFunction loss, OptimizerFactory optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /**
     * Trains on {@code data}, one worker per partition (an RDD with more partitions than workers is repartitioned,
     * which shuffles it).
     *
     * @throws IllegalArgumentException if the RDD has fewer partitions than workers, the batch size is not a
     *     multiple of the number of workers, or a partition holds fewer samples than one worker's batch
     */
    public TrainingResult fit(JavaRDD<Example> data) {
        Objects.requireNonNull(data, "SparkTrainer.fit: data");
        int partitions = data.getNumPartitions();
        int workers = config.workers() == 0 ? partitions : config.workers();
        if (partitions < workers) {
            throw new IllegalArgumentException("SparkTrainer.fit: the RDD has " + partitions
                    + " partitions, fewer than the " + workers + " workers; repartition it");
        }
        if (config.batchSize() % workers != 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: batch size " + config.batchSize()
                    + " is not a multiple of the " + workers + " workers");
        }
        // a barrier stage must not narrow its partitions (Spark rejects coalesce inside one): shuffle instead
        JavaRDD<Example> input = partitions == workers ? data : data.repartition(workers);
        TrainingConfig run = new TrainingConfig(config.model(), config.loss(), config.optimizer(), config.shape(),
                workers, config.batchSize(), config.epochs(), config.seed(), config.shuffle(), config.checkpointDir(),
                config.checkpointEvery(), config.logEvery(), config.timeoutMillis(), config.averagingPeriod(),
                config.failure());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        Module model = run.model().create();
        byte[] initial = StateBytes.write(model.stateDict(), Map.of());
        String driverHost = sc.getConf().get("spark.driver.host");
        try (ProgressServer progress = ProgressServer.start(driverHost, listener)) {
            if (run.averagingPeriod() > 0) {
                boolean cache = input.getStorageLevel().equals(StorageLevel.NONE());
                if (cache) {
                    input.persist(StorageLevel.MEMORY_ONLY());
                }
                try {
                    ParameterAveraging.Run r = ParameterAveraging.run(sc, input, run, initial, progress);
                    model.loadStateDict(r.state(), true);
                    return new TrainingResult(model, progress.history(), progress.resumes(), r.seconds(),
                            r.samples(), r.communicationSeconds());
                } finally {
                    if (cache) {
                        input.unpersist(false);
                    }
                }
            }
            Broadcast<byte[]> initialState = sc.broadcast(initial);
            try {
                // the shuffle after the barrier stage makes it a shuffle-map stage, which Spark retries as a whole
                // when a task fails (a failed barrier result stage is not retried)
                JavaRDD<byte[]> finalStates = JavaRDD.fromRDD(input.rdd().barrier().mapPartitions(
                        new SyncTrainingTask(run, initialState, progress.address()), false,
                        ClassTag$.MODULE$.apply(byte[].class)), ClassTag$.MODULE$.apply(byte[].class));
                List<byte[]> results = finalStates.repartition(1).collect();
                SafetensorsFile last = StateBytes.read(results.get(0), "worker 0's final state");
                model.loadStateDict(last.tensors(), true);
                Map<String, String> stats = last.metadata();
                return new TrainingResult(model, progress.history(), progress.resumes(),
                        Double.parseDouble(stats.get(SyncTrainingTask.SECONDS)),
                        Long.parseLong(stats.get(SyncTrainingTask.SAMPLES)),
                        Double.parseDouble(stats.get(SyncTrainingTask.COMMUNICATION_SECONDS)));
            } finally {
                initialState.destroy();
            }
        }
    }

    /** Builds a {@link SparkTrainer}; every setting but the three factories has a default. */
    public static final class Builder {
        private final ModelFactory model;
        private final LossFunction loss;
        private final OptimizerFactory optimizer;
        private SampleShape shape;
        private int workers;
        private int batchSize = 64;
        private int epochs = 1;
        private long seed = 42;
        private boolean shuffle = true;
        private String checkpointDir;
        private int checkpointEvery = 100;
        private int logEvery = 50;
        private int timeoutMillis = 300_000;
        private int averagingPeriod;
        private TrainingConfig.InjectedFailure failure;
        private ProgressListener listener = ProgressListener.printingTo(System.out);

        private Builder(ModelFactory model, LossFunction loss, OptimizerFactory optimizer) {
            this.model = Objects.requireNonNull(model, "SparkTrainer.builder: model");
            this.loss = Objects.requireNonNull(loss, "SparkTrainer.builder: loss");
            this.optimizer = Objects.requireNonNull(optimizer, "SparkTrainer.builder: optimizer");
        }

        /** The shapes of the examples' inputs and targets (required). */
        public Builder shape(SampleShape shape) {
            this.shape = Objects.requireNonNull(shape, "SparkTrainer.Builder.shape");
            return this;
        }

        /** The number of workers; default 0, one per partition of the RDD. */
        public Builder workers(int workers) {
            this.workers = atLeast("workers", workers, 0);
            return this;
        }

        /** The global batch size, split evenly among the workers; default 64. */
        public Builder batchSize(int batchSize) {
            this.batchSize = atLeast("batchSize", batchSize, 1);
            return this;
        }

        /** Passes over the data; default 1. */
        public Builder epochs(int epochs) {
            this.epochs = atLeast("epochs", epochs, 1);
            return this;
        }

        /** Seeds the order of each worker's samples; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether each worker shuffles its partition every epoch; default true (false: partition order). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Where checkpoints go (a Hadoop filesystem URI or a path every machine reaches); default none. */
        public Builder checkpointDir(String dir) {
            this.checkpointDir = Objects.requireNonNull(dir, "SparkTrainer.Builder.checkpointDir");
            return this;
        }

        /** Steps (rounds, for parameter averaging) between checkpoints; default 100; the last step always writes one. */
        public Builder checkpointEvery(int steps) {
            this.checkpointEvery = atLeast("checkpointEvery", steps, 1);
            return this;
        }

        /** Steps between progress reports (and one at the end of each epoch); default 50. */
        public Builder logEvery(int steps) {
            this.logEvery = atLeast("logEvery", steps, 1);
            return this;
        }

        /** How long a worker waits for a peer to connect or send before failing; default 300 s. */
        public Builder timeoutMillis(int millis) {
            this.timeoutMillis = atLeast("timeoutMillis", millis, 1);
            return this;
        }

        /** Parameter averaging every {@code k} local steps instead of synchronous SGD. */
        public Builder averageEvery(int k) {
            this.averagingPeriod = atLeast("averageEvery", k, 1);
            return this;
        }

        /** Receives the progress reports on the driver; default: printed to standard output. */
        public Builder progress(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "SparkTrainer.Builder.progress");
            return this;
        }

        /** Tests only: worker {@code rank} fails before step {@code step} in the stage's first attempt. */
        Builder injectFailure(long step, int rank, boolean haltJvm) {
            this.failure = new TrainingConfig.InjectedFailure(step, rank, haltJvm);
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            if (shape == null) {
                throw new IllegalStateException("SparkTrainer.Builder: shape(...) is required");
            }
            return new SparkTrainer(new TrainingConfig(model, loss, optimizer, shape, workers, batchSize, epochs,
                    seed, shuffle, checkpointDir, checkpointEvery, logEvery, timeoutMillis, averagingPeriod, failure),
                    listener);
        }

        private static int atLeast(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("SparkTrainer.Builder." + what + ": must be >= " + min + ", got "
                        + value);
            }
            return value;
        }
    }
}
