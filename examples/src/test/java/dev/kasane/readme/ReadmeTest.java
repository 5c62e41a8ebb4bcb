package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.*;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.*;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.*;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.selection.*;
import dev.kasane.tensor.*;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensorboard.SummaryWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ```java} blocks of the top-level README.md that need only the {@code nn-layers} dependency, compiled and
 * run here as written, with assertions about what they compute ({@code ReadmeBlocksTest} checks that every block has
 * its copy here or in {@code ReadmeOpenClTest}). consumer-it also compiles and runs this file, as it is, in a fresh
 * Maven project that uses Kasane the way README's "Add it to a Maven project" says: keep it free of other test
 * classes and of this module's dependencies beyond nn-layers and JUnit.
 */
class ReadmeTest {
    @Test
    void quickstart() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);     // [2, 3] F32 on the default device
        Tensor b = Tensor.arange(3).toType(DType.F32);                   // [0., 1., 2.]
        Tensor c = a.add(b)                                              // broadcasting: [2, 3] + [3]
                    .matmul(a.transpose(0, 1));                          // [2, 3] @ [3, 2] (transpose is a view)
        Tensor p = c.softmax(-1);                                        // numerically stable, along the last dim
        System.out.println(p);
        // tensor([[1.8795e-12, 1.0000e+00],
        //         [3.5326e-24, 1.0000e+00]], shape=[2, 2], dtype=F32, device=cpu)

        Generator.seedGlobal(0);                                         // the global generator of randn, rand, ...
        Tensor x = Tensor.randn(64, 128);
        Tensor m = x.mean(new int[] {0}, true);                          // [1, 128]
        Tensor v = x.var(new int[] {0}, 1, true);                        // unbiased variance
        Tensor z = x.sub(m).div(v.add(1e-5).sqrt());
        float first = (float) z.get(0, 0);

        // c = [[40, 67], [64, 118]]: the printed probabilities, to the 5 digits shown (relative 1e-4)
        assertArrayEquals(new int[] {2, 2}, p.shape());
        assertArrayEquals(new float[] {1.8795e-12f, 1f, 3.5326e-24f, 1f}, p.toFloatArray(), 1e-6f);
        assertEquals(1.8795e-12, p.get(0, 0), 1e-4 * 1.8795e-12);
        assertEquals(3.5326e-24, p.get(1, 0), 1e-4 * 3.5326e-24);
        assertEquals("tensor([[1.8795e-12, 1.0000e+00],\n        [3.5326e-24, 1.0000e+00]], shape=[2, 2], dtype=F32, "
                + "device=cpu)", p.toString());
        // z is standardised per column: mean 0 and unbiased variance 1 up to F32 rounding and the 1e-5 (1e-4)
        assertTrue(z.mean(new int[] {0}, false).abs().max().item() < 1e-4, "column means of z");
        assertTrue(z.var(new int[] {0}, 1, false).sub(1).abs().max().item() < 1e-4, "column variances of z");
        assertEquals(z.toFloatArray()[0], first, 0f);
    }

    @Test
    void quickstartErrorNamesOpShapesDtypesAndDevice() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: shapes are not broadcastable: [2, 3] F32 cpu and [4] F32 cpu (size 3 vs 4 at dimension -1)",
                e.getMessage());
    }

    @Test
    void backwardAndNoGradUpdate() {
        Tensor w = Tensor.randn(3, 2).requiresGrad(true);     // a leaf that we want gradients for
        Tensor b = Tensor.zeros(2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

        Tensor loss = x.matmul(w).add(b).tanh().square().mean();   // b is broadcast over the rows
        loss.backward();                                       // fills w.grad() and b.grad()

        System.out.println(w.grad());                          // shape [3, 2]; b.grad() has b's shape [2]

        assertArrayEquals(new int[] {3, 2}, w.grad().shape());
        assertArrayEquals(new int[] {2}, b.grad().shape());
        Tensor expected = w.detach().sub(w.grad().mul(0.1));

        try (var g = Autograd.noGrad()) {                      // per thread; nothing is recorded inside
            w.subInPlace(w.grad().mul(0.1));                   // an SGD step on a leaf that requires grad
            w.setGrad(null);
        }

        assertNull(w.grad());
        assertTrue(w.requiresGrad() && w.isLeaf());
        assertTrue(w.allClose(expected, 0, 0), "the in-place step is w - 0.1 grad, exactly");
    }

    private final Linear criticNet = new Linear(4, 1);

    private Tensor critic(Tensor x) {
        return criticNet.forward(x).tanh();
    }

    @Test
    void gradientPenalty() {
        Tensor real = Tensor.randn(8, 4);
        Tensor fake = Tensor.randn(8, 4);
        Tensor alpha = Tensor.rand(8, 1);

        // WGAN-GP gradient penalty: the penalty's gradient reaches the critic's weights
        Tensor xHat = real.mul(alpha).add(fake.mul(alpha.rsub(1))).detach().requiresGrad(true);
        Tensor out = critic(xHat);
        Tensor gx = Autograd.grad(List.of(out.sum()), List.of(xHat), null,
                /* retainGraph */ true, /* createGraph */ true, /* allowUnused */ false)[0];
        Tensor penalty = gx.square().sum(1, false).sqrt().sub(1).square().mean();
        penalty.backward();

        assertArrayEquals(xHat.shape(), gx.shape());
        assertTrue(Double.isFinite(penalty.item()) && penalty.item() >= 0, "penalty " + penalty.item());
        Tensor wGrad = criticNet.namedParameters().get("weight").grad();
        assertNotNull(wGrad, "the penalty's gradient reaches the critic's weight");
        assertTrue(wGrad.abs().sum().item() > 0, "a non-zero weight gradient");
    }

    @Test
    void customFunctionAndGradCheck() {
        Tensor x = Tensor.randn(5);

        final class Silu extends Function {                    // x * sigmoid(x)
            @Override
            protected Tensor forward(Tensor... in) {
                Tensor x = in[0];
                saveForBackward(x);                            // version-checked, freed after backward
                return x.mul(x.sigmoid());                     // forward records no graph
            }

            @Override
            protected Tensor[] backward(Tensor grad) {         // one gradient per input (null if not needed)
                Tensor x = savedTensors()[0];
                Tensor s = x.sigmoid();
                return new Tensor[] {grad.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
            }
        }

        Tensor y = new Silu().apply(x);                        // one instance per call

        assertTrue(y.allClose(x.mul(x.sigmoid()), 1e-6, 1e-7), "silu(x) = x sigmoid(x) (rtol 1e-6, atol 1e-7)");
        GradCheck.Fn f = in -> in[0].square().sum(1, false);

        Tensor a = Tensor.randn(3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(4).requiresGrad(true);
        GradCheck.check(in -> in[0].mul(in[1]).tanh(), a, b);              // vs central differences in F64
        GradCheck.checkSecondOrder(in -> new Silu().apply(in[0]), a);      // grad of grad
        GradCheck.check(f, GradCheck.options().withEps(1e-6).withAtol(1e-5).withRtol(1e-3), a);

        // the check can fail: a wrong backward formula (missing the x s (1 - s) term) is caught
        final class WrongSilu extends Function {
            @Override
            protected Tensor forward(Tensor... in) {
                saveForBackward(in[0]);
                return in[0].mul(in[0].sigmoid());
            }

            @Override
            protected Tensor[] backward(Tensor grad) {
                return new Tensor[] {grad.mul(savedTensors()[0].sigmoid())};
            }
        }
        assertThrows(AssertionError.class, () -> GradCheck.check(in -> new WrongSilu().apply(in[0]), a));
    }

    static double trainToyModel(Path dir) throws IOException {
        Generator.seedGlobal(0);
        Tensor x = Tensor.randn(512, 2);                                   // toy problem: is x0 * x1 > 0 ?
        Tensor y = x.select(1, 0).mul(x.select(1, 1)).gt(0).toType(DType.I64);

        var model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
        var opt = new Adam(model.parameters(), 1e-2);
        try (var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(64).shuffle(true).seed(0).build()) {
            for (int epoch = 0; epoch < 30; epoch++) {
                model.train();
                for (Batch batch : loader) {
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                    loss.backward();
                    opt.step();
                }
            }
        }
        model.eval();
        double accuracy;
        try (var g = Autograd.noGrad()) {
            Tensor logits = model.forward(x);
            accuracy = logits.argmax(1, false).eq(y).toType(DType.F32).mean().item();
        }
        Path file = dir.resolve("toy.safetensors");
        Safetensors.save(model.stateDict(), file);
        model.loadStateDict(Safetensors.load(file), true);   // strict: all key/shape faults at once
        return accuracy;
    }

    @Test
    void trainingLoopLearnsTheToyProblemAndItsCheckpointRestoresIt(@TempDir Path dir) throws IOException {
        double accuracy = trainToyModel(dir);
        assertTrue(accuracy > 0.9, "toy accuracy after 30 epochs: " + accuracy);

        var restored = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
        restored.loadStateDict(Safetensors.load(dir.resolve("toy.safetensors")), true);
        restored.eval();
        Generator.seedGlobal(0);
        Tensor x = Tensor.randn(512, 2);
        Tensor y = x.select(1, 0).mul(x.select(1, 1)).gt(0).toType(DType.I64);
        try (var g = Autograd.noGrad()) {
            double again = restored.forward(x).argmax(1, false).eq(y).toType(DType.F32).mean().item();
            assertEquals(accuracy, again, 0.0, "the checkpoint holds the trained weights (exactly)");
        }
    }

    // ---- README "Experiments": the block as written, then a run of it

    static SearchResults tune(TensorDataset data, long[] labels, Path logDir) throws IOException {
        Param<Double> lr = Param.choice("lr", 1e-3, 1e-2);
        Param<Integer> width = Param.choice("width", 8, 32);
        List<Split<Sample>> folds = new StratifiedKFold(3, true, 0).split(data, labels);
        try (var tb = new SummaryWriter(logDir)) {
            SearchResults results = new GridSearch(SearchSpace.of(lr, width)).run(folds, trial -> {
                int w = trial.config().get(width);
                var model = new Sequential(new Linear(2, w), new ReLU(), new Linear(w, 2));
                var opt = new Adam(model.parameters(), trial.config().get(lr));
                var stopper = new EarlyStopping(Mode.MAX, 3, 1e-3).restoreBestWeights(model);
                String run = trial.config() + " fold " + trial.fold();
                try (var loader = DataLoader.builder(trial.split().train()).batchSize(32).shuffle(true).seed(0).build()) {
                    for (int epoch = 0; epoch < 40 && !stopper.stopped(); epoch++) {
                        model.train();
                        for (Batch batch : loader) {
                            opt.zeroGrad();
                            Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
                            loss.backward();
                            opt.step();
                        }
                        double acc = accuracy(model, trial.split().validation());
                        tb.addScalar(run + "/val_acc", acc, epoch);
                        stopper.step(acc);
                    }
                }
                tb.addHparams(trial.config().values(), Map.of("val_acc", stopper.best()), run);
                return stopper.best();                                // the fold's score: higher is better
            });
            tb.addText("grid", results.toMarkdown(), 0);             // ranked: mean and std over the folds
            return results;
        }
    }

    static double accuracy(Module model, Dataset<Sample> data) {
        model.eval();
        try (var g = Autograd.noGrad(); var all = DataLoader.builder(data).batchSize(data.size()).build()) {
            Batch b = all.iterator().next();
            return b.target().eq(model.forward(b.input()).argmax(1, false)).toType(DType.F32).mean().item();
        }
    }

    @Test
    void tuneWithCrossValidatedGridSearchLoggedToTensorBoard(@TempDir Path dir) throws IOException {
        Generator.seedGlobal(1);
        Tensor x = Tensor.randn(240, 2);
        Tensor y = x.select(1, 0).mul(x.select(1, 1)).gt(0).toType(DType.I64);
        SearchResults results = tune(new TensorDataset(x, y), y.toLongArray(), dir);

        assertEquals(4, results.results().size(), "2 x 2 configurations");
        assertEquals(3, results.best().scores().length, "one score per fold");
        assertTrue(results.best().mean() > 0.8, "best mean validation accuracy " + results.best().mean());
        assertTrue(results.toMarkdown().startsWith("| rank | lr | width | mean | std |"), results.toMarkdown());
        try (Stream<Path> runs = Files.list(dir)) {
            // the writer's own event file plus one HParams run per configuration and fold
            assertEquals(1 + 12, runs.count());
        }
        assertTrue(Files.isDirectory(dir.resolve("lr=0.01, width=32 fold 2")));
    }
}
