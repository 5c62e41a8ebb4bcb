package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.data.TensorDataset;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.Linear;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop shown in README.md, kept compiling and working. */
class ReadmeTrainingLoopTest {
    @Test
    void readmeTrainingLoopLearnsTheToyProblem(@TempDir Path dir) throws Exception {
        // --- README: training loop ---
        Generator.seedGlobal(0);
        Tensor x = Tensor.randn(512, 2);                                 // toy problem: is x0 * x1 > 0 ?
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
        var restored = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
        restored.loadStateDict(Safetensors.load(file), true);
        // --- end ---

        assertTrue(accuracy > 0.9, "toy accuracy after 30 epochs: " + accuracy);
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(model.forward(x).toFloatArray(),
                    restored.forward(x).toFloatArray(), 0f, "restored model computes the same logits");
        }
    }
}
