package dev.kasane.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tests' tiny problem (8 inputs, 3 classes, 64 samples, global batch 8) and single-process references computed
 * with plain Kasane.
 */
final class TinyProblem {
    static final int SAMPLES = 64;
    static final int BATCH = 8;
    static final SampleShape SHAPE = SampleShape.classification(8);

    private TinyProblem() {
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

    /**
     * One process, one optimizer, the same global batches: step s takes rows {@code [s*b, (s+1)*b)} of each of the
     * {@code workers} contiguous slices of the data, {@code b = BATCH / workers}.
     */
    static LinkedHashMap<String, Tensor> oneProcess(ModelFactory factory, int workers, int steps) {
        List<Example> data = data();
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

    static void assertStatesEqual(Map<String, Tensor> expected, Map<String, Tensor> actual, double tolerance) {
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

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Parameter averaging of two workers by hand: two replicas of {@link #mlpWithBatchNorm} with their own SGD (with
     * momentum) on the two halves of the data in order; after every {@code k} steps and at the end of the epoch
     * (8 steps), every parameter and buffer of both is replaced by their mean.
     */
    static Map<String, Tensor> parameterAveraging(int k) {
        List<Example> data = data();
        // two replicas with their own SGD-with-momentum; after steps 3, 6 and 8 (8 steps per epoch),
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
        return replicas[0].stateDict();
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

    /** A trainer of {@link #mlp} with SGD (momentum 0.9), batch 8, partition order, quiet. */
    static SparkTrainer.Builder trainer() {
        return SparkTrainer.builder(TinyProblem::mlp, F::crossEntropy, TinyProblem::sgd).shape(SHAPE)
                .batchSize(BATCH).shuffle(false).logEvery(2).progress(p -> { });
    }
}
