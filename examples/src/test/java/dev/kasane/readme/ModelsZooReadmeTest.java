package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.data.Batch;
import dev.kasane.data.DataLoader;
import dev.kasane.examples.common.TestData;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.ParamGroup;
import dev.kasane.optim.SGD;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.models.EfficientNet;
import dev.kasane.vision.models.LeNet5;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ```java} blocks of models-zoo/README.md, run as written (on Fashion-MNIST where Debian's package installed
 * it, else on a small synthetic set in the same IDX format; with EfficientNet-B0 weights saved here standing in for
 * torchvision's).
 */
class ModelsZooReadmeTest {
    private static final Path README = Path.of("..", "models-zoo", "README.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "kasane", "readme",
            "ModelsZooReadmeTest.java");

    @Test
    void everyReadmeBlockIsRunHere() throws IOException {
        ReadmeSnippets.assertEveryBlockIn(README, SOURCE);
    }

    @Test
    void oneLeNetStepOnFashionMnist(@TempDir Path tmp) throws IOException {
        String dir = TestData.fashionDir(tmp);                // null: the installed set
        Path dataDir = dir == null ? null : Path.of(dir);

        var train = FashionMNIST.train(dataDir);              // samples: image F32 [1, 28, 28] in [0, 1], label I64
        var model = new LeNet5(10);
        var opt = new Adam(model.parameters(), 1e-3);
        Tensor loss;
        try (var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build()) {
            Batch batch = loader.iterator().next();           // input [64, 1, 28, 28], target [64]
            opt.zeroGrad();
            loss = F.crossEntropy(model.forward(batch.input()), batch.target());
            loss.backward();
            opt.step();
        }

        // ten classes, untrained: the loss is near ln 10 = 2.303 (within 0.5)
        assertTrue(Math.abs(loss.item() - Math.log(10)) < 0.5, "first-step loss " + loss.item());
        assertNotNull(model.parameters().get(0).grad(), "backward reached the first convolution");
    }

    @Test
    void transferLearningWithALowerBackboneLearningRate(@TempDir Path tmp) throws IOException {
        Path weights = tmp.resolve("efficientnet_b0.safetensors");
        Safetensors.save(EfficientNet.efficientnetB0(1000).stateDict(), weights);

        var model = EfficientNet.efficientnetB0(1000);
        model.loadStateDict(Safetensors.load(weights), true);    // torchvision's efficientnet_b0 weights
        model.replaceHead(10);                                   // classifier.1: Linear(1280, 1000) -> Linear(1280, 10)
        var opt = new SGD(List.of(                               // the backbone at a tenth of the head's learning rate
                new ParamGroup<>(model.backboneParameters(), o -> o.lr(1e-3)),
                new ParamGroup<>(model.headParameters())), SGD.options().lr(1e-2).momentum(0.9));

        assertEquals(10, model.numClasses());
        assertEquals(1e-3, opt.paramGroups().get(0).lr());
        assertEquals(1e-2, opt.paramGroups().get(1).lr());
        assertEquals(List.of(1280, 10), List.of(model.head().get(0).weight().size(1), model.head().get(0).weight().size(0)));
    }
}
