package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.SafetensorsFile;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker of synchronous data-parallel SGD, run as a task of a barrier stage: it keeps its partition in memory,
 * joins the ring (addresses exchanged with {@link BarrierTaskContext#allGather}), starts from the latest checkpoint
 * or the driver's initial weights, and for every step computes the gradients of its share of the global batch,
 * sums them (and the F32 buffers and the loss) with the others by {@link RingAllReduce}, divides by the number of
 * workers and steps its optimizer. Worker 0 writes the checkpoints, reports progress and returns the final state.
 */
final class SyncTrainingTask extends AbstractFunction1<Iterator<Example>, Iterator<byte[]>> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Metadata keys of the statistics worker 0 returns with the final state. */
    static final String SECONDS = "seconds";
    static final String COMMUNICATION_SECONDS = "communication_seconds";
    static final String SAMPLES = "samples";

    private final TrainingConfig config;
    private final Broadcast<byte[]> initialState;
    private final String progressAddress;

    SyncTrainingTask(TrainingConfig config, Broadcast<byte[]> initialState, String progressAddress) {
        this.config = config;
        this.initialState = initialState;
        this.progressAddress = progressAddress;
    }

    @Override
    public Iterator<byte[]> apply(Iterator<Example> partition) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int n = ctx.getTaskInfos().length;
        List<Example> data = new ArrayList<>(CollectionConverters.asJava(partition.toSeq()));
        try (ServerSocket server = new ServerSocket(0, n)) {
            String host = SparkEnv.get().blockManager().blockManagerId().host();
            String[] peers = ctx.allGather(host + ":" + server.getLocalPort() + "/" + data.size());
            List<String> addresses = new ArrayList<>();
            int smallest = Integer.MAX_VALUE;
            for (String p : peers) {
                int slash = p.lastIndexOf('/');
                addresses.add(p.substring(0, slash));
                smallest = Math.min(smallest, Integer.parseInt(p.substring(slash + 1)));
            }
            int b = config.localBatch();
            long stepsPerEpoch = smallest / b;
            if (stepsPerEpoch == 0) {
                throw new IllegalArgumentException("SparkTrainer: the smallest partition holds " + smallest
                        + " samples, fewer than one worker's batch of " + b + " (global batch " + config.batchSize()
                        + " over " + n + " workers); partition sizes " + Arrays.toString(peers));
            }
            byte[] result = train(ctx, rank, n, data, stepsPerEpoch, server, addresses);
            return CollectionConverters.asScala(result == null ? List.<byte[]>of().iterator()
                    : List.of(result).iterator());
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: worker " + rank + " of " + n + " failed: " + e.getMessage(),
                    e);
        }
    }

    private byte[] train(BarrierTaskContext ctx, int rank, int n, List<Example> data, long stepsPerEpoch,
            ServerSocket server, List<String> addresses) throws IOException {
        CheckpointStore store = config.checkpointDir() == null ? null : new CheckpointStore(config.checkpointDir());
        Optional<SafetensorsFile> checkpoint = store == null ? Optional.empty() : store.latest();
        Replica replica;
        long start;
        if (checkpoint.isPresent()) {
            replica = new Replica(config, Checkpoints.modelState(checkpoint.get()));
            replica.loadOptimizerState(Checkpoints.optimizerState(checkpoint.get(), Checkpoints.OPTIMIZER));
            start = CheckpointStore.step(checkpoint.get());
        } else {
            replica = new Replica(config, StateBytes.read(initialState.value(), "the initial state").tensors());
            start = 0;
        }
        int b = config.localBatch();
        long total = config.epochs() * stepsPerEpoch;
        ProgressMeter meter = new ProgressMeter(config.epochs(), stepsPerEpoch);
        try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, server, config.timeoutMillis());
                ProgressReporter progress = rank == 0 ? new ProgressReporter(progressAddress, config.timeoutMillis())
                        : null) {
            if (progress != null && start > 0) {
                progress.resumed(start);
            }
            int gradients = replica.gradientLength();
            int buffers = replica.floatBufferLength();
            float[] exchange = new float[gradients + buffers + 1];
            float inverse = 1f / n;
            int[] order = null;
            int orderEpoch = -1;
            for (long g = start; g < total; g++) {
                int epoch = (int) (g / stepsPerEpoch);
                int s = (int) (g % stepsPerEpoch);
                if (epoch != orderEpoch) {
                    order = Replica.epochOrder(data.size(), config.seed(), epoch, rank, config.shuffle());
                    orderEpoch = epoch;
                }
                if (config.failure() != null) {
                    config.failure().maybeFail(ctx.stageAttemptNumber(), rank, g);
                }
                long t0 = System.nanoTime();
                float loss = replica.computeGradients(data, order, s * b, (s + 1) * b);
                replica.gradientsInto(exchange, 0);
                replica.floatBuffersInto(exchange, gradients);
                exchange[gradients + buffers] = loss;
                long t1 = System.nanoTime();
                ring.sum(exchange);
                long t2 = System.nanoTime();
                replica.setGradients(exchange, 0, inverse);
                replica.step();
                replica.setFloatBuffers(exchange, gradients, inverse);
                long t3 = System.nanoTime();
                meter.add(1, exchange[gradients + buffers] * inverse, (long) b * n, (t3 - t0) * 1e-9,
                        (t2 - t1) * 1e-9);
                long finished = g + 1;
                if (rank == 0) {
                    if (store != null && (finished % config.checkpointEvery() == 0 || finished == total)) {
                        store.save(finished, Checkpoints.tensors(replica.modelState(),
                                Map.of(Checkpoints.OPTIMIZER, replica.optimizerState())),
                                Checkpoints.metadata(Map.of(Checkpoints.OPTIMIZER, replica.optimizerState())));
                    }
                    if (meter.due(finished, config.logEvery())) {
                        progress.report(meter.report(finished));
                    }
                }
            }
        }
        if (rank != 0) {
            return null;
        }
        Map<String, String> stats = new LinkedHashMap<>();
        stats.put(SECONDS, Double.toString(meter.totalSeconds()));
        stats.put(COMMUNICATION_SECONDS, Double.toString(meter.totalCommunicationSeconds()));
        stats.put(SAMPLES, Long.toString(meter.totalSamples()));
        Map<String, Tensor> state = replica.modelState();
        return StateBytes.write(state, stats);
    }
}
