package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.AbstractBatchNorm;
import dev.kasane.nn.Dropout;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.optim.ParamGroup;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Transfer learning with the zoo's classifiers: head replacement, frozen backbones, parameter groups, weights files. */
class ImageClassifierTest {
    @TempDir
    Path tmp;

    /** Small members of every family, with an input size they take. */
    static Stream<Arguments> families() {
        return Stream.of(
                family("LeNet5", () -> new LeNet5(10), 1, 28, "fc3"),
                family("ResNet", () -> new ResNet(ResNet.BlockType.BASIC, new int[] {1, 1, 1, 1}, 10, true), 3, 32, "fc"),
                family("AlexNet", () -> new AlexNet(10, 0.5, 16), 3, 63, "classifier.6"),
                family("VGG", () -> new VGG(VGG.Depth.VGG11, true, 10, 0.5, 16), 3, 32, "classifier.6"),
                family("GoogLeNet", () -> new GoogLeNet(10), 3, 15, "fc", "aux1.fc2", "aux2.fc2"),
                family("MobileNetV2", () -> new MobileNetV2(10, 0.35, 0.2), 3, 32, "classifier.1"),
                family("EfficientNet", () -> new EfficientNet(0.25, 0.25, 0.2, 0.2, 10), 3, 32, "classifier.1"));
    }

    private static Arguments family(String name, Supplier<ImageClassifier> make, int channels, int size, String... heads) {
        return Arguments.of(name, make, channels, size, List.of(heads));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void replaceHeadKeepsKeysAndBackbone(String name, Supplier<ImageClassifier> make, int channels, int size,
            List<String> heads) {
        ImageClassifier model = make.get();
        assertEquals(10, model.numClasses());
        assertEquals(heads, model.headNames());
        List<String> keys = new ArrayList<>(model.stateDict().keySet());
        List<Tensor> backbone = model.backboneParameters();
        Tensor firstBefore = backbone.get(0).clone();
        List<Tensor> oldHead = model.headParameters();

        assertSame(model, model.replaceHead(3));

        assertEquals(3, model.numClasses());
        assertEquals(keys, new ArrayList<>(model.stateDict().keySet()), name + ": same keys, same order");
        for (Linear l : model.head()) {
            assertEquals(3, l.weight().size(0));
            assertTrue(l.weight().requiresGrad());
        }
        for (String h : heads) {
            assertEquals(3, model.stateDict().get(h + ".weight").size(0), h);
        }
        List<Tensor> newBackbone = model.backboneParameters();
        assertEquals(backbone.size(), newBackbone.size());
        for (int i = 0; i < backbone.size(); i++) {
            assertSame(backbone.get(i), newBackbone.get(i), name + ": backbone parameter " + i + " is kept");
        }
        assertTrue(firstBefore.allClose(newBackbone.get(0), 0, 0));
        for (Tensor p : model.headParameters()) {
            assertTrue(oldHead.stream().noneMatch(o -> o == p), name + ": the head is new");
        }
        assertEquals(model.parameters().size(), newBackbone.size() + model.headParameters().size());
        model.eval();
        try (var g = Autograd.noGrad()) {
            assertArrayEquals(new int[] {2, 3}, model.forward(Tensor.randn(2, channels, size, size)).shape(),
                    name + ": forward uses the new head");
        }
    }

    @Test
    void theNewHeadTakesTheDeviceAndDtypeOfTheOldOne() {
        ImageClassifier model = new MobileNetV2(10, 0.35, 0.2);
        model.to(DType.F64);
        model.replaceHead(4);
        assertEquals(DType.F64, model.head().get(0).weight().dtype());
        assertEquals(model.backboneParameters().get(0).device(), model.head().get(0).weight().device());
        try (var g = Autograd.noGrad()) {
            assertEquals(DType.F64, model.eval().forward(Tensor.randn(1, 3, 32, 32).toType(DType.F64)).dtype());
        }
    }

    @Test
    void frozenBackboneTrainsOnlyTheHeadAndKeepsBatchNormStatistics() {
        Generator.seedGlobal(1);
        ImageClassifier model = new MobileNetV2(10, 0.35, 0.2).replaceHead(2);
        assertSame(model, model.freezeBackbone(true));
        assertTrue(model.backboneFrozen());
        model.train();
        Map<String, Tensor> before = snapshot(model.namedBuffers());
        Tensor loss = model.forward(Tensor.randn(4, 3, 32, 32)).square().mean();
        loss.backward();
        for (Tensor p : model.backboneParameters()) {
            assertFalse(p.requiresGrad());
            assertNull(p.grad());
        }
        for (Tensor p : model.headParameters()) {
            assertNotNull(p.grad(), "the head trains");
        }
        model.namedBuffers().forEach((k, v) -> assertTrue(before.get(k).allClose(v, 0, 0), k + " is frozen"));
        for (Module m : model.modules()) {
            if (m instanceof AbstractBatchNorm) {
                assertFalse(m.isTraining(), "batch norm stays in eval mode");
            } else if (m instanceof Dropout) {
                assertTrue(m.isTraining(), "dropout still trains");
            }
        }
        model.freezeBackbone(false);
        assertTrue(model.backboneParameters().stream().allMatch(Tensor::requiresGrad));
        assertTrue(model.modules().stream().allMatch(Module::isTraining), "unfrozen: every layer trains again");
    }

    @Test
    void backboneAndHeadTrainWithTheirOwnLearningRates() {
        Generator.seedGlobal(2);
        ImageClassifier model = new EfficientNet(0.25, 0.25, 0, 0, 10).replaceHead(3);
        SGD opt = new SGD(List.of(
                new ParamGroup<>(model.backboneParameters(), o -> o.lr(0.001)),
                new ParamGroup<>(model.headParameters())), SGD.options().lr(0.1));
        Tensor backbone = model.backboneParameters().get(0);
        Tensor head = model.head().get(0).weight();
        Tensor backboneBefore = backbone.detach().clone();
        Tensor headBefore = head.detach().clone();
        model.forward(Tensor.randn(2, 3, 32, 32)).square().sum().backward();
        opt.step();
        // plain SGD: p <- p - lr * grad, exactly
        assertTrue(backboneBefore.sub(backbone.grad().mul(0.001)).allClose(backbone.detach(), 1e-6, 1e-7));
        assertTrue(headBefore.sub(head.grad().mul(0.1)).allClose(head.detach(), 1e-6, 1e-7));
        Map<String, String> saved = opt.stateDict().params();
        assertEquals("2", saved.get("param_groups"));
        assertEquals(0.001, Double.parseDouble(saved.get("param_groups.0.lr")));
        assertEquals(0.1, Double.parseDouble(saved.get("param_groups.1.lr")));
    }

    @Test
    void weightsFromASafetensorsFileLoadStrictThenTheHeadIsReplaced() throws IOException {
        ImageClassifier source = new MobileNetV2(5, 0.35, 0.2);
        Path file = tmp.resolve("weights.safetensors");
        Safetensors.save(source.stateDict(), file);

        ImageClassifier target = new MobileNetV2(5, 0.35, 0.2);
        target.loadStateDict(Safetensors.load(file), true);
        target.replaceHead(2);
        List<Tensor> src = source.backboneParameters();
        List<Tensor> dst = target.backboneParameters();
        for (int i = 0; i < src.size(); i++) {
            assertTrue(src.get(i).allClose(dst.get(i), 0, 0), "backbone parameter " + i + " loaded");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MobileNetV2(5, 0.35, 0.2).replaceHead(2).loadStateDict(Safetensors.load(file), true));
        assertTrue(e.getMessage().contains("size mismatch for classifier.1.weight"), e.getMessage());
    }

    @Test
    void googLeNetAuxiliaryOutputsOnlyInTraining() {
        Generator.seedGlobal(3);
        GoogLeNet model = new GoogLeNet(4, true, false, 0, 0);
        Tensor x = Tensor.randn(2, 3, 32, 32);
        GoogLeNet.Outputs train = model.forwardWithAux(x);
        assertArrayEquals(new int[] {2, 4}, train.aux1().shape());
        assertArrayEquals(new int[] {2, 4}, train.aux2().shape());
        assertTrue(train.logits().allClose(model.forward(x), 1e-5, 1e-6), "forward gives the same logits");
        model.eval();
        try (var g = Autograd.noGrad()) {
            GoogLeNet.Outputs eval = model.forwardWithAux(x);
            assertNull(eval.aux1());
            assertNull(eval.aux2());
        }
        assertFalse(new GoogLeNet(4, false, false, 0.2, 0.7).auxLogits());
        assertEquals(1, new GoogLeNet(4, false, false, 0.2, 0.7).head().size());
    }

    @Test
    void googLeNetTransformInputIsTorchvisionsChannelAffineMap() {
        Generator.seedGlobal(4);
        GoogLeNet plain = new GoogLeNet(3, false, false, 0, 0);
        GoogLeNet transforming = new GoogLeNet(3, false, true, 0, 0);
        transforming.loadStateDict(plain.stateDict(), true);
        assertTrue(transforming.transformInput());
        Tensor x = Tensor.randn(1, 3, 24, 24);
        Tensor scale = Tensor.of(new double[] {0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5}, 1, 3, 1, 1).toType(DType.F32);
        Tensor shift = Tensor.of(new double[] {-0.03, -0.088, -0.188}, 1, 3, 1, 1).toType(DType.F32);
        plain.eval();
        transforming.eval();
        try (var g = Autograd.noGrad()) {
            assertTrue(plain.forward(x.mul(scale).add(shift)).allClose(transforming.forward(x), 1e-4, 1e-5));
        }
    }

    @Test
    void efficientNetStochasticDepthGrowsLinearlyOverTheBlocks() {
        List<Double> probs = new ArrayList<>();
        for (Module m : EfficientNet.efficientnetB0(10).modules()) {
            if (m instanceof EfficientNet.MBConv b) {
                probs.add(b.stochasticDepthProb());
            }
        }
        assertEquals(16, probs.size(), "B0's blocks: 1 + 2 + 2 + 3 + 3 + 4 + 1");
        for (int k = 0; k < 16; k++) {
            assertEquals(0.2 * k / 16, probs.get(k), 1e-15);
        }
    }

    @Test
    void modelsByTorchvisionsNames() {
        assertEquals(18, ImageClassifier.names().size());
        assertTrue(ImageClassifier.names().containsAll(List.of("alexnet", "vgg19_bn", "googlenet", "mobilenet_v2",
                "efficientnet_b3", "resnet50")));
        ImageClassifier m = ImageClassifier.create("mobilenet_v2", 7);
        assertTrue(m instanceof MobileNetV2);
        assertEquals(7, m.numClasses());
        assertEquals(3_504_872 - 1_281_000 + 1280 * 7 + 7, m.numParameters(), "torchvision's count, 7 classes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageClassifier.create("vgg12", 3));
        assertTrue(e.getMessage().startsWith("ImageClassifier.create: unknown model 'vgg12', expected one of [alexnet, vgg11"),
                e.getMessage());
    }

    @Test
    void errorsNameTheModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AlexNet(0));
        assertEquals("AlexNet: numClasses must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LeNet5(10).replaceHead(-1));
        assertEquals("LeNet5.replaceHead: numClasses must be >= 1, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MobileNetV2(10, 0, 0.2));
        assertTrue(e.getMessage().startsWith("MobileNetV2: widthMult must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new EfficientNet(1, 1, 0.2, 1.5, 10));
        assertTrue(e.getMessage().startsWith("EfficientNet: stochasticDepthProb must be in [0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VGG(VGG.Depth.VGG11, false, 10, 0.5, 0));
        assertTrue(e.getMessage().startsWith("VGG: classifierWidth must be >= 1"), e.getMessage());
        ImageClassifier small = new MobileNetV2(10, 0.35, 0.2);
        e = assertThrows(IllegalArgumentException.class, () -> small.forward(Tensor.zeros(1, 1, 32, 32)));
        assertTrue(e.getMessage().startsWith("MobileNetV2: expected input with 3 channels"), e.getMessage());
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> tensors) {
        Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
