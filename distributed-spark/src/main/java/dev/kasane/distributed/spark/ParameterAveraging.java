package dev.kasane.distributed.spark;

import dev.kasane.autograd.Tensor;
import dev.kasane.io.SafetensorsFile;
import dev.kasane.optim.OptimizerStateDict;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Parameter averaging (DL4J's training master): each round is one Spark job in which every partition's worker
 * starts from the driver's weights, takes {@code K} local steps with its own optimizer on its own samples, and
 * returns its weights and buffers; {@code treeAggregate} sums them and the driver divides by the number of workers.
 * Buffers (BatchNorm's running statistics, and its step counter as a float) are averaged like the weights; each
 * worker's optimizer state goes back to the driver and out again with the next round, so it stays per replica.
 */
final class ParameterAveraging {
    private ParameterAveraging() {
    }

    /** What one round's tasks receive. */
    record RoundInput(byte[] modelState, TreeMap<Integer, byte[]> optimizerStates) implements Serializable {
    }

    /** Trains and returns the final state and statistics. */
    static Run run(JavaSparkContext sc, JavaRDD<Example> data, TrainingConfig config, byte[] initialState,
            ProgressServer progress) {
        List<Integer> sizes = data.mapPartitions(it -> {
            int n = 0;
            for (; it.hasNext(); it.next()) {
                n++;
            }
            return List.of(n).iterator();
        }).collect();
        int smallest = sizes.stream().mapToInt(Integer::intValue).min().orElse(0);
        long stepsPerEpoch = smallest / config.localBatch();
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("SparkTrainer: the smallest partition holds " + smallest
                    + " samples, fewer than one worker's batch of " + config.localBatch() + "; partition sizes "
                    + sizes);
        }
        int k = config.averagingPeriod();
        long roundsPerEpoch = (stepsPerEpoch + k - 1) / k;
        long totalRounds = config.epochs() * roundsPerEpoch;
        CheckpointStore store = config.checkpointDir() == null ? null : new CheckpointStore(config.checkpointDir());
        Replica driver = new Replica(config, StateBytes.read(initialState, "the initial state").tensors());
        TreeMap<Integer, byte[]> optimizers = new TreeMap<>();
        long start = 0;
        Optional<SafetensorsFile> checkpoint = store == null ? Optional.empty() : store.latest();
        if (checkpoint.isPresent()) {
            driver.model().loadStateDict(Checkpoints.modelState(checkpoint.get()), true);
            for (int p = 0; p < sizes.size(); p++) {
                OptimizerStateDict sd = Checkpoints.optimizerState(checkpoint.get(), optimizerName(p));
                optimizers.put(p, StateBytes.write(sd.tensors(), sd.params()));
            }
            start = CheckpointStore.step(checkpoint.get());
            progress.resumed(start);
        }
        ProgressMeter meter = new ProgressMeter(config.epochs(), stepsPerEpoch);
        float[] average = new float[driver.stateLength()];
        for (long round = start; round < totalRounds; round++) {
            long t0 = System.nanoTime();
            Broadcast<RoundInput> input = sc.broadcast(new RoundInput(
                    StateBytes.write(driver.modelState(), Map.of()), optimizers));
            long epoch = round / roundsPerEpoch;
            long first = (round % roundsPerEpoch) * k;
            int steps = (int) Math.min(k, stepsPerEpoch - first);
            JavaRDD<AveragingContribution> rounds = data.mapPartitionsWithIndex(
                    new LocalSteps(config, input, (int) epoch, (int) first, steps), true);
            AveragingContribution sum = rounds.treeAggregate(new AveragingContribution(),
                    AveragingContribution::merge, AveragingContribution::merge, 2);
            input.destroy();
            driver.setState(sum.stateSum, 0, 1f / sum.workers);
            optimizers = sum.optimizerStates;
            double wall = (System.nanoTime() - t0) * 1e-9;
            meter.add(steps, sum.lossSum / (sum.workers * (double) steps), sum.samples, wall,
                    Math.max(0, wall - sum.computeSeconds));
            long finished = round + 1;
            if (store != null && (finished % config.checkpointEvery() == 0 || finished == totalRounds)) {
                Map<String, OptimizerStateDict> states = new LinkedHashMap<>();
                optimizers.forEach((p, bytes) -> {
                    SafetensorsFile f = StateBytes.read(bytes, "worker " + p + "'s optimizer state");
                    states.put(optimizerName(p), OptimizerStateDict.of(f.tensors(), f.metadata()));
                });
                store.save(finished, Checkpoints.tensors(driver.modelState(), states), Checkpoints.metadata(states));
            }
            long stepsDone = epoch * stepsPerEpoch + first + steps;
            boolean crossedLogStep = stepsDone / config.logEvery() != (stepsDone - steps) / config.logEvery();
            if (crossedLogStep || finished % roundsPerEpoch == 0) {
                progress.report(meter.report(stepsDone));
            }
        }
        return new Run(driver.modelState(), meter.totalSeconds(), meter.totalCommunicationSeconds(),
                meter.totalSamples());
    }

    /** The checkpoint name of partition {@code p}'s optimizer. */
    static String optimizerName(int p) {
        return Checkpoints.OPTIMIZER + "." + p;
    }

    /** A finished run: the final model state and the statistics of the steps this run took. */
    record Run(LinkedHashMap<String, Tensor> state, double seconds, double communicationSeconds, long samples) {
    }

    /** One worker's local steps of one round: steps {@code first} to {@code first + steps - 1} of epoch {@code epoch}. */
    private record LocalSteps(TrainingConfig config, Broadcast<RoundInput> input, int epoch, int first, int steps)
            implements org.apache.spark.api.java.function.Function2<Integer, Iterator<Example>,
                    Iterator<AveragingContribution>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<AveragingContribution> call(Integer partition, Iterator<Example> examples) {
            List<Example> data = new ArrayList<>();
            examples.forEachRemaining(data::add);
            RoundInput in = input.value();
            Replica replica = new Replica(config, StateBytes.read(in.modelState(), "the round's weights").tensors());
            byte[] own = in.optimizerStates().get(partition);
            if (own != null) {
                SafetensorsFile f = StateBytes.read(own, "worker " + partition + "'s optimizer state");
                replica.loadOptimizerState(OptimizerStateDict.of(f.tensors(), f.metadata()));
            }
            int[] order = Replica.epochOrder(data.size(), config.seed(), epoch, partition, config.shuffle());
            int b = config.localBatch();
            long t0 = System.nanoTime();
            double loss = 0;
            for (int s = first; s < first + steps; s++) {
                loss += replica.computeGradients(data, order, s * b, (s + 1) * b);
                replica.step();
            }
            AveragingContribution c = new AveragingContribution();
            c.stateSum = new float[replica.stateLength()];
            replica.stateInto(c.stateSum, 0);
            c.workers = 1;
            c.lossSum = loss;
            c.steps = steps;
            c.samples = (long) steps * b;
            c.computeSeconds = (System.nanoTime() - t0) * 1e-9;
            OptimizerStateDict sd = replica.optimizerState();
            c.optimizerStates.put(partition, StateBytes.write(sd.tensors(), sd.params()));
            return List.of(c).iterator();
        }
    }
}
