package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model against PyTorch's reference_models.py (fixtures from src/test/python/gen_zoo_fixtures.py):
 * eval-mode and train-mode outputs, the input gradient and per-parameter gradient summaries of the loss
 * {@code sum(out_train * R)}, and the running statistics after the train-mode forward. Tolerance: 1e-4 relative to
 * the largest magnitude of the reference tensor. ResNet-50 is compared in float64 (see gen_zoo_fixtures.py).
 */
class ModelParityTest {
    static final double TOL = 1e-4;
    /** Bound, relative to the model's largest gradient, on the rounding noise of a gradient that is zero in theory. */
    static final double ZERO_GRAD = 1e-3;

    static Stream<Arguments> models() {
        return Stream.of(
                model("lenet5", () -> new LeNet5(10), true),
                model("unet", () -> new UNet(1, 2, 4), true),
                model("dcgan28_g", () -> DCGAN.generator28(100), false),
                model("dcgan28_d", DCGAN::discriminator28, false),
                model("dcgan64_g", () -> DCGAN.generator64(16, 3, 8), false),
                model("dcgan64_d", () -> DCGAN.discriminator64(3, 8), false),
                model("resnet18_cifar", () -> ResNet.resnet18(10, true), false),
                model("resnet50_f64", () -> ResNet.resnet50(10, false), false));
    }

    private static Arguments model(String name, Supplier<Module> make, boolean storedWeights) {
        return Arguments.of(name, make, storedWeights);
    }

    /** The weights formula of gen_zoo_fixtures.py, applied to every floating entry of the state dict. */
    static void formulaState(Module model) {
        TreeMap<String, Tensor> sorted = new TreeMap<>(model.stateDict());
        Map<String, Tensor> state = new LinkedHashMap<>();
        int j = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            int[] shape = t.shape();
            if (!t.dtype().isFloating()) {
                state.put(e.getKey(), t.zerosLike());
                j++;
                continue;
            }
            int n = t.numel();
            String leaf = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            float[] v = new float[n];
            double fan = n / Math.max(1, shape.length == 0 ? 1 : shape[0]);
            for (int i = 0; i < n; i++) {
                double b = hashUniform(i, j);
                double x;
                if (leaf.equals("running_var")) {
                    x = 1 + 0.5 * Math.abs(b);
                } else if (leaf.equals("running_mean") || leaf.equals("bias")) {
                    x = 0.1 * b;
                } else if (leaf.equals("weight") && shape.length == 1) {
                    x = 1 + 0.1 * b;
                } else {
                    x = b * Math.sqrt(3.0 / fan);
                }
                v[i] = (float) x;
            }
            state.put(e.getKey(), Tensor.of(v, shape).to(Device.getDefault()));
            j++;
        }
        model.loadStateDict(state, true);
    }

    /** gen_zoo_fixtures.hash_uniform: an integer hash of (i, j) mapped to [-1, 1). */
    static double hashUniform(int i, int j) {
        long m = 0xFFFFFFFFL;
        long h = ((i + 1L) * 2654435761L + (j + 1L) * 2246822519L) & m;
        h ^= h >>> 15;
        h = (h * 2246822519L) & m;
        h ^= h >>> 13;
        return h * (2.0 / 4294967296.0) - 1.0;
    }

    /** The fixtures' loss {@code sum(y * R)}, {@code R[i] = cos(0.37 i + 0.1)} over the flat index of {@code y}. */
    static Tensor parityLoss(Tensor y) {
        double[] r = new double[y.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.cos(0.37 * i + 0.1);
        }
        return y.mul(Tensor.of(r, y.shape()).to(y.device()).toType(y.dtype())).sum();
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.contiguous().toDoubleArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]);
            if (!(err <= TOL * Math.max(scale, 1e-30)) && (Double.isNaN(err) || err > worst)) {
                worst = Double.isNaN(err) ? Double.NaN : err;
                at = i;
            }
        }
        if (at >= 0) {
            throw new AssertionError(what + ": element " + at + " is " + a[at] + ", expected " + e[at] + " (error " + worst
                    + ", tolerance " + TOL * scale + ")");
        }
    }

    static void assertScalar(String what, double expected, double actual, double scale) {
        assertTrue(Math.abs(expected - actual) <= TOL * Math.max(Math.abs(scale), 1e-30),
                what + ": " + actual + ", expected " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesPytorch(String name, Supplier<Module> make, boolean storedWeights) throws IOException {
        Map<String, Tensor> f = Fixtures.load("zoo_" + name + ".safetensors");
        Module model = make.get();
        if (storedWeights) {
            Map<String, Tensor> w = new LinkedHashMap<>();
            f.forEach((k, v) -> {
                if (k.startsWith("w.")) {
                    w.put(k.substring(2), v);
                }
            });
            model.loadStateDict(w, true);
        } else {
            formulaState(model);
        }
        Tensor x = f.get("input").to(Device.getDefault());
        if (x.dtype() == DType.F64) {
            model.to(DType.F64);
        }
        model.eval();
        try (var g = Autograd.noGrad()) {
            assertClose(name + " eval output", f.get("out_eval"), model.forward(x.clone()));
        }
        model.train();
        Tensor xi = x.clone().requiresGrad(true);
        Tensor y = model.forward(xi);
        assertClose(name + " train output", f.get("out_train"), y);
        parityLoss(y).backward();
        assertClose(name + " input gradient", f.get("grad_input"), xi.grad());
        assertGradientsAndBuffers(name, f, model);
    }

    /**
     * The parameter gradients against the fixture's summaries (gsum, gidx, gval; gzero for gradients that are zero in
     * exact arithmetic) and the floating buffers against their sums (bsum).
     */
    static void assertGradientsAndBuffers(String name, Map<String, Tensor> f, Module model) {
        int checked = 0;
        int zeros = 0;
        double modelScale = 0;
        for (String k : f.keySet()) {
            if (k.startsWith("gsum.") && !k.equals("gsum.input")) {
                modelScale = Math.max(modelScale, f.get(k).toDoubleArray()[2]);
            }
        }
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            String k = p.getKey();
            assertNotNull(f.get("gsum." + k), name + ": the reference has no parameter " + k);
            assertNotNull(p.getValue().grad(), name + ": no gradient for " + k);
            double[] g = p.getValue().grad().contiguous().toDoubleArray();
            checked++;
            if (f.containsKey("gzero." + k)) {
                // zero in exact arithmetic (a bias followed by train-mode batch norm): both sides are rounding noise
                double mx = 0;
                for (double v : g) {
                    mx = Math.max(mx, Math.abs(v));
                }
                assertTrue(mx <= ZERO_GRAD * modelScale, name + " grad of " + k + " should be ~0, max |g| = " + mx
                        + " vs the model's largest " + modelScale);
                zeros++;
                continue;
            }
            assertGradientSummary(name + " grad of " + k, f, k, g);
        }
        assertEquals(f.keySet().stream().filter(k -> k.startsWith("gsum.") && !k.equals("gsum.input")).count(), checked,
                name + ": parameter count");
        assertEquals(f.keySet().stream().filter(k -> k.startsWith("gzero.")).count(), zeros, name + ": zero gradients");
        for (Map.Entry<String, Tensor> b : model.namedBuffers().entrySet()) {
            if (b.getValue().dtype().isFloating()) {
                double[] v = b.getValue().toDoubleArray();
                double s = 0;
                double sa = 0;
                for (double d : v) {
                    s += d;
                    sa += Math.abs(d);
                }
                assertScalar(name + " buffer sum " + b.getKey(), f.get("bsum." + b.getKey()).item(), s, sa);
            }
        }
    }

    /** A gradient {@code g} against the fixture's sum, sum of |.| and max |.| ({@code gsum.key}) and samples ({@code gidx.key, gval.key}). */
    static void assertGradientSummary(String what, Map<String, Tensor> f, String key, double[] g) {
        double s = 0;
        double sa = 0;
        double mx = 0;
        for (double v : g) {
            s += v;
            sa += Math.abs(v);
            mx = Math.max(mx, Math.abs(v));
        }
        double[] es = f.get("gsum." + key).toDoubleArray();
        assertScalar(what + ": sum", es[0], s, es[1]);
        assertScalar(what + ": abs sum", es[1], sa, es[1]);
        assertScalar(what + ": max", es[2], mx, es[2]);
        long[] idx = f.get("gidx." + key).toLongArray();
        double[] vals = f.get("gval." + key).toDoubleArray();
        for (int i = 0; i < idx.length; i++) {
            assertScalar(what + "[" + idx[i] + "]", vals[i], g[(int) idx[i]], es[2]);
        }
    }

    static Map<String, Supplier<Module>> keyModels() {
        Map<String, Supplier<Module>> m = new LinkedHashMap<>();
        m.put("lenet5", () -> new LeNet5(10));
        m.put("unet_1_2_4", () -> new UNet(1, 2, 4));
        m.put("unet_3_1_16", () -> new UNet(3, 1, 16));
        m.put("dcgan28_g", () -> DCGAN.generator28(100));
        m.put("dcgan28_d", DCGAN::discriminator28);
        m.put("dcgan64_g", DCGAN::generator64);
        m.put("dcgan64_d", DCGAN::discriminator64);
        m.put("resnet18", () -> ResNet.resnet18(1000, false));
        m.put("resnet18_cifar", () -> ResNet.resnet18(10, true));
        m.put("resnet34", () -> ResNet.resnet34(1000, false));
        m.put("resnet50", () -> ResNet.resnet50(1000, false));
        return m;
    }

    @Test
    void stateDictKeysAndShapesMatchReference() throws IOException {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Fixtures.path("zoo_keys.txt"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] p = line.split(" ");
            expected.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1] + " " + (p.length > 2 ? p[2] : ""));
        }
        Map<String, Supplier<Module>> models = keyModels();
        assertEquals(expected.keySet(), models.keySet());
        for (Map.Entry<String, Supplier<Module>> e : models.entrySet()) {
            List<String> actual = new ArrayList<>();
            e.getValue().get().stateDict().forEach((k, v) -> {
                StringBuilder sb = new StringBuilder();
                for (int s : v.shape()) {
                    sb.append(sb.length() == 0 ? "" : ",").append(s);
                }
                actual.add(k + " " + sb);
            });
            assertEquals(expected.get(e.getKey()), actual, e.getKey() + ": state-dict keys and shapes, in order");
        }
    }

    @Test
    void parameterCountsOfFullSizeModels() {
        // torchvision's counts for 1000 classes
        assertEquals(11_689_512L, ResNet.resnet18(1000, false).numParameters());
        assertEquals(21_797_672L, ResNet.resnet34(1000, false).numParameters());
        assertEquals(25_557_032L, ResNet.resnet50(1000, false).numParameters());
        assertEquals(61_706L, new LeNet5(10).numParameters());
    }

    @Test
    void shapesAndErrors() {
        try (var g = Autograd.noGrad()) {
            Module unet = new UNet(3, 2, 2).eval();
            assertArrayEquals(new int[] {1, 2, 16, 24}, unet.forward(Tensor.zeros(1, 3, 16, 24)).shape());
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> unet.forward(Tensor.zeros(1, 3, 12, 16)));
            assertTrue(e.getMessage().contains("UNet") && e.getMessage().contains("multiples of 8"), e.getMessage());
            IllegalArgumentException e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new LeNet5(10).forward(Tensor.zeros(1, 3, 28, 28)));
            assertTrue(e2.getMessage().startsWith("LeNet5"), e2.getMessage());
            Module g64 = DCGAN.generator64(8, 1, 4).eval();
            assertArrayEquals(new int[] {2, 1, 64, 64}, g64.forward(Tensor.zeros(2, 8, 1, 1)).shape());
            assertArrayEquals(new int[] {2, 1}, DCGAN.discriminator64(1, 4).eval().forward(Tensor.zeros(2, 1, 64, 64)).shape());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ResNet(
                ResNet.BlockType.BASIC, new int[] {1, 1, 1}, 10, true));
        assertTrue(Arrays.asList(ResNet.BlockType.values()).contains(ResNet.BlockType.BOTTLENECK));
    }
}
