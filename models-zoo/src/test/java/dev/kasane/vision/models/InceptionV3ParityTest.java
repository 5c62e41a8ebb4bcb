package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * InceptionV3 against torchvision 0.14's {@code inception_v3} (gen_inception_fixtures.py): the same state-dict keys
 * and shapes, and, in F64 with the deterministic weights both sides fill in, the same pool3 features and logits on
 * a 79x83 input (with and without transform_input). Tolerance {@code |a - e| <= 1e-9 (1 + |e|)}.
 */
class InceptionV3ParityTest {
    @Test
    void stateDictKeysAndShapesAreTorchvisions() throws IOException {
        List<String> expected = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("fixtures/inception_v3_keys.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    expected.add(line.strip());
                }
            }
        }
        List<String> actual = new ArrayList<>();
        new InceptionV3(10, true, false).stateDict().forEach((k, v) -> actual.add((k + " " + shape(v)).strip()));
        assertEquals(expected, actual);
    }

    private static String shape(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (int s : t.shape()) {
            sb.append(s).append(' ');
        }
        return sb.toString().strip();
    }

    @Test
    @SuppressWarnings("try") // the guard is only opened and closed
    void featuresAndLogitsMatchTorchvisionWithDeterministicWeights() throws IOException {
        Map<String, Tensor> f = Fixtures.load("inception_v3.safetensors");
        InceptionV3 model = new InceptionV3(10, true, false);
        model.to(DType.F64);
        fill(model);
        model.eval();
        Tensor x = image(2, 3, 79, 83);
        try (var g = Autograd.noGrad()) {
            assertClose("pool3 features", f.get("features"), model.features(x));
            assertClose("logits", f.get("logits"), model.forward(x));
            InceptionV3 transformed = new InceptionV3(10, true, true);
            transformed.to(DType.F64);
            transformed.loadStateDict(model.stateDict(), true);
            transformed.eval();
            assertClose("pool3 features with transform_input", f.get("features_transform_input"), transformed.features(x));
        }
    }

    @Test
    void tooSmallImagesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InceptionV3(10, false, false).features(Tensor.zeros(1, 3, 64, 80)));
        assertTrue(e.getMessage().contains("expected images [N, 3, H, W] with H, W >= 75"), e.getMessage());
    }

    /** gen_inception_fixtures.py's fill: entry k of the sorted keys from sin(0.7 i + 1.3 k + 0.1). */
    private static void fill(InceptionV3 model) {
        Map<String, Tensor> sd = model.stateDict();
        int k = 0;
        for (String name : new TreeSet<>(sd.keySet())) {
            Tensor t = sd.get(name);
            int kk = k++;
            if (!t.dtype().isFloating()) {
                continue;
            }
            double[] v = new double[t.numel()];
            for (int i = 0; i < v.length; i++) {
                double w = Math.sin(0.7 * i + 1.3 * kk + 0.1);
                if (name.endsWith("running_var")) {
                    v[i] = 1 + 0.1 * (w + 1);
                } else if (name.endsWith("bn.weight")) {
                    v[i] = 1 + 0.1 * w;
                } else if (t.dim() > 1) {
                    v[i] = w * 2 / Math.sqrt((double) t.numel() / t.size(0));
                } else {
                    v[i] = 0.1 * w;
                }
            }
            t.copyFrom(Tensor.of(v, t.shape()));
        }
    }

    private static Tensor image(int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(0.37 * i) * Math.cos(0.011 * i);
        }
        return Tensor.of(v, shape);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-9 * (1 + Math.abs(e[i])), what + " element " + i);
        }
    }
}
