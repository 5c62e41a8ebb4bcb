package dev.kasane.vision.models;

import static dev.kasane.vision.models.ModelParityTest.assertClose;
import static dev.kasane.vision.models.ModelParityTest.assertGradientSummary;
import static dev.kasane.vision.models.ModelParityTest.assertGradientsAndBuffers;
import static dev.kasane.vision.models.ModelParityTest.formulaState;
import static dev.kasane.vision.models.ModelParityTest.parityLoss;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.vision.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zoo's torchvision classifiers against torchvision 0.14 itself (fixtures from
 * src/test/python/gen_torchvision_fixtures.py): eval and train outputs, the input gradient and every parameter
 * gradient (summaries and samples) of the loss {@code sum(out_train * R)}, the batch-norm buffers after the
 * train-mode forward, with the formula weights of {@link ModelParityTest} and dropout and stochastic depth off;
 * tolerance 1e-4 relative (ModelParityTest.TOL). Cases named {@code _f64} run in float64 (see the generator). And the
 * state-dict keys, shapes and parameter counts of the torchvision models the zoo builds by name.
 */
class TorchvisionParityTest {
    static Stream<Arguments> models() {
        return Stream.of(
                model("alexnet", () -> new AlexNet(10, 0, 64)),
                model("vgg11", () -> new VGG(VGG.Depth.VGG11, false, 10, 0, 32)),
                model("vgg11_bn", () -> new VGG(VGG.Depth.VGG11, true, 10, 0, 32)),
                Arguments.of("googlenet_f64", (Supplier<ImageClassifier>) () -> new GoogLeNet(10, true, true, 0, 0),
                        (BiFunction<ImageClassifier, Tensor, Tensor>) TorchvisionParityTest::googLeNetTrainOutput),
                model("mobilenet_v2_035_f64", () -> new MobileNetV2(10, 0.35, 0)),
                model("efficientnet_b0_f64", () -> new EfficientNet(1.0, 1.0, 0, 0, 10)));
    }

    private static Arguments model(String name, Supplier<ImageClassifier> make) {
        return Arguments.of(name, make, (BiFunction<ImageClassifier, Tensor, Tensor>) ImageClassifier::forward);
    }

    /** The generator's GoogLeNet train output: the logits, aux1's and aux2's, concatenated along dim 1. */
    private static Tensor googLeNetTrainOutput(ImageClassifier model, Tensor x) {
        GoogLeNet.Outputs o = ((GoogLeNet) model).forwardWithAux(x);
        return Tensor.cat(List.of(o.logits(), o.aux1(), o.aux2()), 1);
    }

    /** gen_zoo_fixtures.formula_input: sin(0.05 i + phase) + 0.5 cos(0.013 i), rounded to float32. */
    static Tensor formulaInput(int[] shape, double phase) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (Math.sin(0.05 * i + phase) + 0.5 * Math.cos(0.013 * i));
        }
        return Tensor.of(v, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesTorchvision(String name, Supplier<ImageClassifier> make, BiFunction<ImageClassifier, Tensor, Tensor> trainForward)
            throws IOException {
        Map<String, Tensor> f = Fixtures.load("zoo_tv_" + name + ".safetensors");
        long[] shape = f.get("input_shape").toLongArray();
        Tensor x = formulaInput(new int[] {(int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]},
                f.get("input_phase").item());
        double[] sums = f.get("input_sum").toDoubleArray();
        assertEquals(sums[0], x.toType(DType.F64).sum().item(), 1e-9 * sums[1], name + ": the regenerated input's sum");
        ImageClassifier model = make.get();
        formulaState(model);
        if (name.endsWith("_f64")) {
            model.to(DType.F64);
            x = x.toType(DType.F64);
        }
        model.to(Device.getDefault());
        x = x.to(Device.getDefault());
        model.eval();
        try (var g = Autograd.noGrad()) {
            assertClose(name + " eval output", f.get("out_eval"), model.forward(x));
        }
        model.train();
        Tensor xi = x.clone().requiresGrad(true);
        Tensor y = trainForward.apply(model, xi);
        assertClose(name + " train output", f.get("out_train"), y);
        parityLoss(y).backward();
        assertGradientSummary(name + " input gradient", f, "input", xi.grad().contiguous().toDoubleArray());
        assertGradientsAndBuffers(name, f, model);
    }

    /** The models of zoo_tv_keys.txt.gz, built the Java way. */
    static Map<String, Supplier<ImageClassifier>> keyModels() {
        Map<String, Supplier<ImageClassifier>> m = new LinkedHashMap<>();
        m.put("alexnet", () -> new AlexNet(1000));
        m.put("vgg11_w64", () -> new VGG(VGG.Depth.VGG11, false, 1000, 0.5, 64));
        m.put("vgg11_bn_w64", () -> new VGG(VGG.Depth.VGG11, true, 1000, 0.5, 64));
        m.put("vgg13_w64", () -> new VGG(VGG.Depth.VGG13, false, 1000, 0.5, 64));
        m.put("vgg16_bn_w64", () -> new VGG(VGG.Depth.VGG16, true, 1000, 0.5, 64));
        m.put("vgg19_bn_w64", () -> new VGG(VGG.Depth.VGG19, true, 1000, 0.5, 64));
        m.put("googlenet", () -> new GoogLeNet(1000));
        m.put("googlenet_noaux", () -> new GoogLeNet(1000, false, false, 0.2, 0.7));
        m.put("mobilenet_v2", () -> new MobileNetV2(1000));
        m.put("mobilenet_v2_035", () -> new MobileNetV2(1000, 0.35, 0.2));
        m.put("mobilenet_v2_140", () -> new MobileNetV2(1000, 1.4, 0.2));
        m.put("efficientnet_b0", () -> EfficientNet.efficientnetB0(1000));
        m.put("efficientnet_b1", () -> EfficientNet.efficientnetB1(1000));
        m.put("efficientnet_b2", () -> EfficientNet.efficientnetB2(1000));
        m.put("efficientnet_b3", () -> EfficientNet.efficientnetB3(1000));
        return m;
    }

    @Test
    void stateDictKeysShapesAndParameterCountsMatchTorchvision() throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Fixtures.path("zoo_tv_keys.txt.gz"))), StandardCharsets.UTF_8))) {
            in.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(line -> {
                int space = line.indexOf(' ');
                expected.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
            });
        }
        Map<String, Supplier<ImageClassifier>> models = keyModels();
        assertEquals(expected.keySet(), models.keySet());
        for (Map.Entry<String, Supplier<ImageClassifier>> e : models.entrySet()) {
            ImageClassifier model = e.getValue().get();
            List<String> actual = new ArrayList<>();
            model.stateDict().forEach((k, v) -> {
                StringBuilder sb = new StringBuilder(k).append(' ');
                for (int i = 0; i < v.dim(); i++) {
                    sb.append(i == 0 ? "" : ",").append(v.size(i));
                }
                actual.add(sb.toString());
            });
            actual.add("#parameters " + model.numParameters());
            assertEquals(expected.get(e.getKey()), actual, e.getKey() + ": state-dict keys and shapes, in order, and the "
                    + "parameter count");
        }
    }

    @Test
    void inputFormulaMatchesTheGenerator() throws IOException {
        Map<String, Tensor> f = Fixtures.load("zoo_tv_alexnet.safetensors");
        assertArrayEquals(new long[] {2, 3, 64, 64}, f.get("input_shape").toLongArray());
        assertEquals(0.2, f.get("input_phase").item());
    }
}
