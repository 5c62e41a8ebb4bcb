package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end use of a zoo model with nn-layers: a few training steps, evaluation, checkpoint round trip. */
class TrainingSmokeTest {
    @TempDir
    Path tmp;

    /** 64 images of two classes: a bright horizontal bar (0) or a bright vertical bar (1), with noise. */
    static TensorDataset bars() {
        Generator gen = new Generator(5);
        int n = 64;
        float[] x = new float[n * 28 * 28];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            int pos = 6 + (int) gen.nextLong(16);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean on = y[i] == 0 ? Math.abs(r - pos) < 2 : Math.abs(c - pos) < 2;
                    x[i * 784 + r * 28 + c] = (float) ((on ? 1.0 : 0.0) + 0.1 * gen.nextGaussian());
                }
            }
        }
        return new TensorDataset(Tensor.of(x, n, 1, 28, 28),
                Tensor.of(y, n));
    }

    @Test
    void lenet5LearnsAndRoundTripsThroughSafetensors() throws IOException {
        Generator.seedGlobal(3);
        LeNet5 model = new LeNet5(2);
        Adam opt = new Adam(model.parameters(), 3e-3);
        TensorDataset data = bars();
        double first = Double.NaN;
        double last = Double.NaN;
        try (var loader = DataLoader.builder(data).batchSize(16).shuffle(true).seed(0).build()) {
            for (int epoch = 0; epoch < 6; epoch++) {
                model.train();
                for (Batch b : loader) {
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(b.input()), b.target());
                    loss.backward();
                    opt.step();
                    if (Double.isNaN(first)) {
                        first = loss.item();
                    }
                    last = loss.item();
                }
            }
        }
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
        model.eval();
        Tensor x = Tensor.stack(java.util.List.of(data.get(0).input(), data.get(1).input(), data.get(2).input(),
                data.get(3).input()), 0);
        Tensor logits;
        try (var g = Autograd.noGrad()) {
            logits = model.forward(x);
        }
        assertEquals(1.0, Metrics.accuracy(logits, Tensor.of(new long[] {0, 1, 0, 1})), 0);
        Path ckpt = tmp.resolve("lenet.safetensors");
        Safetensors.save(model.stateDict(), ckpt);
        Module copy = new LeNet5(2);
        copy.loadStateDict(Safetensors.load(ckpt), true);
        copy.eval();
        try (var g = Autograd.noGrad()) {
            assertTrue(copy.forward(x).allClose(logits, 0, 0));
        }
    }

    @Test
    void dcganShapesAndRanges() {
        try (var g = Autograd.noGrad()) {
            Module gen = DCGAN.generator28(100).eval();
            Tensor fake = gen.forward(Tensor.randn(3, 100));
            assertEquals(java.util.Arrays.toString(new int[] {3, 1, 28, 28}), java.util.Arrays.toString(fake.shape()));
            assertTrue(fake.abs().max().item() <= 1.0);
            Tensor logits = DCGAN.discriminator28().eval().forward(fake);
            assertEquals(java.util.Arrays.toString(new int[] {3, 1}), java.util.Arrays.toString(logits.shape()));
        }
    }
}
