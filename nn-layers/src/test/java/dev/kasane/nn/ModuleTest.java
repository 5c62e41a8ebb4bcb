package dev.kasane.nn;

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
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration, traversal, state dicts, modes, devices and printing of {@link Module}. */
class ModuleTest {
    /** A small CNN with the layout of the reference LeNet-5 keys plus a nested Sequential. */
    static final class Net extends Module {
        final Sequential features = registerModule("features", new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new ReLU()));
        final Linear fc = registerModule("fc", new Linear(4, 2));

        Net() {
            registerBuffer("scratch", Tensor.zeros(2), false);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = features.forward(x);
            return fc.forward(F.adaptiveAvgPool2d(h, 1).flatten(1, -1));
        }
    }

    @Test
    void namesFollowPyTorch() {
        Net net = new Net();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "fc.weight", "fc.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked", "fc.weight", "fc.bias"),
                new ArrayList<>(net.stateDict().keySet()), "non-persistent buffers are not saved");
        assertEquals(List.of("scratch", "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"),
                new ArrayList<>(net.namedBuffers().keySet()));
        assertEquals(List.of("", "features", "features.0", "features.1", "features.2", "fc"),
                new ArrayList<>(net.namedModules().keySet()));
        assertEquals(List.of("features", "fc"), new ArrayList<>(net.namedChildren().keySet()));
        assertEquals("features.1", net.features.get(1).path());
        assertEquals(6, net.parameters().size());
        assertEquals(4 * 3 * 9 + 4 + 4 + 4 + 8 + 2, net.numParameters());
        List<String> visited = new ArrayList<>();
        net.apply(m -> visited.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Conv2d", "BatchNorm2d", "ReLU", "Sequential", "Linear", "Net"), visited);
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(3, 3);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
    }

    @Test
    void stateDictRoundTripsAndConvertsDtype() {
        Net a = new Net();
        Net b = new Net();
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> state.put(k, v.dtype().isFloating() ? v.toType(DType.F64) : v.clone()));
        StateDictLoad r = b.loadStateDict(state, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        b.stateDict().forEach((k, v) -> assertArrayEquals(a.stateDict().get(k).toDoubleArray(), v.toDoubleArray(), 0, k));
        assertEquals(DType.F32, b.fc.weight().dtype());
        Tensor x = Tensor.randn(2, 3, 5, 5);
        a.eval();
        b.eval();
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), 0);
    }

    @Test
    void loadStateDictReportsEveryProblemAtOnceAndModifiesNothing() {
        Net net = new Net();
        Map<String, Tensor> before = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> before.put(k, v.clone()));
        LinkedHashMap<String, Tensor> bad = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> bad.put(k, Tensor.full(7, v.dtype(), v.device(), v.shape())));
        bad.remove("fc.bias");
        bad.put("features.0.weight", Tensor.zeros(4, 1, 3, 3));
        bad.put("head.weight", Tensor.zeros(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(bad, true));
        String m = e.getMessage();
        assertTrue(m.contains("missing keys: [fc.bias]"), m);
        assertTrue(m.contains("unexpected keys: [head.weight]"), m);
        assertTrue(m.contains("size mismatch for features.0.weight (Conv2d 'features.0')"), m);
        assertTrue(m.contains("[4, 1, 3, 3]") && m.contains("[4, 3, 3, 3]"), m);
        net.stateDict().forEach((k, v) -> assertArrayEquals(before.get(k).toDoubleArray(), v.toDoubleArray(), 0, k + " modified"));
        // non-strict tolerates missing and unexpected keys, never a shape mismatch
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(bad, false));
        bad.put("features.0.weight", Tensor.full(7, 4, 3, 3, 3));
        StateDictLoad r = net.loadStateDict(bad, false);
        assertEquals(List.of("fc.bias"), r.missingKeys());
        assertEquals(List.of("head.weight"), r.unexpectedKeys());
        assertEquals(7.0, net.fc.weight().get(0, 0));
        assertArrayEquals(before.get("fc.bias").toDoubleArray(), net.fc.bias().toDoubleArray(), 0);
    }

    @Test
    void layerErrorsNameTheLayerItsPathAndTheShapes() {
        Net net = new Net();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.randn(1, 1, 28, 28)));
        assertEquals("Conv2d 'features.0': expected input with 3 channels (N, 3, H, W), got [1, 1, 28, 28]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.randn(3, 28, 28)));
        assertEquals("Conv2d 'features.0': expected input of shape (N, 3, H, W), got [3, 28, 28]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).forward(Tensor.randn(2, 5)));
        assertEquals("Linear: expected input with 4 features (*, 4), got [2, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.randn(2, 4)));
        assertTrue(e.getMessage().startsWith("BatchNorm1d: expected input with 3 channels"), e.getMessage());
    }

    @Test
    void lossRejectsClassIndexOutOfRange() {
        Tensor logits = Tensor.randn(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.of(new long[] {0, 4, 1}, 3)));
        assertTrue(e.getMessage().startsWith("crossEntropy: target class 4 (at flat position 1) is out of range for 4 classes"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, Tensor.of(new long[] {0, 1}, 2)));
        assertTrue(e.getMessage().contains("target [2] does not match input [3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(Tensor.randn(4, 1), Tensor.randn(4)));
        assertEquals("mseLoss: input [4, 1] and target [4] must have the same shape", e.getMessage());
    }

    @Test
    void modesGradsFreezingAndDtype() {
        Net net = new Net();
        assertTrue(net.features.get(1).isTraining());
        net.eval();
        assertFalse(net.features.get(1).isTraining());
        net.train();
        Tensor x = Tensor.randn(2, 3, 5, 5);
        net.forward(x).sum().backward();
        assertNotNull(net.fc.weight().grad());
        assertEquals(1, net.stateDict().get("features.1.num_batches_tracked").itemLong());
        net.zeroGrad();
        assertNull(net.fc.weight().grad());
        net.features.requiresGrad(false);
        Tensor y = net.forward(x);
        y.sum().backward();
        assertNull(net.features.get(0).parameters().get(0).grad(), "frozen");
        assertNotNull(net.fc.weight().grad());
        net.eval();
        Tensor runningMean = net.stateDict().get("features.1.running_mean").clone();
        net.forward(x);
        assertArrayEquals(runningMean.toDoubleArray(), net.stateDict().get("features.1.running_mean").toDoubleArray(), 0,
                "eval does not update running statistics");
        Tensor w = net.fc.weight();
        net.to(DType.F64);
        assertEquals(DType.F64, net.fc.weight().dtype());
        assertEquals(DType.I64, net.stateDict().get("features.1.num_batches_tracked").dtype());
        assertSame(w, net.fc.weight(), "to(dtype) keeps the parameter object");
        assertEquals(DType.F64, w.dtype());
        assertEquals(DType.F64, net.forward(x.toType(DType.F64)).dtype());
        assertSame(net.fc.weight(), net.namedParameters().get("fc.weight"));
    }

    @Test
    void toStringIsAPyTorchLikeTree() {
        Sequential s = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(1176, 10));
        String expected = String.join("\n",
                "Sequential(",
                "  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))  # 156 params",
                "  (1): ReLU()",
                "  (2): MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=false)",
                "  (3): Flatten(start_dim=1, end_dim=-1)",
                "  (4): Linear(in_features=1176, out_features=10, bias=true)  # 11770 params",
                ")",
                "Total parameters: 11926 (trainable: 11926)");
        assertEquals(expected, s.toString());
    }

    @Test
    void replacingAModuleKeepsItsKeyAndPlace() {
        Sequential s = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Sequential outer = new Sequential(s, new Linear(2, 2));
        Linear head = new Linear(3, 5);
        assertSame(s, s.set(2, head));
        assertSame(head, s.get(2));
        assertEquals("0.2", head.path(), "the new child is named by its place");
        assertEquals(List.of("0.0.weight", "0.0.bias", "0.2.weight", "0.2.bias", "1.weight", "1.bias"),
                new ArrayList<>(outer.stateDict().keySet()));
        assertArrayEquals(new int[] {2, 5}, s.forward(Tensor.zeros(2, 4)).shape(), "forward uses the new module");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.set(3, new ReLU()));
        assertTrue(e.getMessage().contains("index 3 out of range for 3 modules"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.set(0, s));
        assertTrue(e.getMessage().contains("cannot be its own child"), e.getMessage());
    }

    @Test
    void dropoutScalesInTrainingAndIsIdentityInEval() {
        Dropout d = new Dropout(0.25);
        Tensor x = Tensor.ones(100, 100);
        double[] y = d.forward(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-6);
            zeros += v == 0 ? 1 : 0;
        }
        assertEquals(0.25, zeros / 10000.0, 0.03);
        d.eval();
        assertSame(x, d.forward(x));
        Tensor c = new Dropout2d(0.5).forward(Tensor.ones(4, 8, 3, 3));
        Tensor perChannel = c.amax(new int[] {2, 3}, false).sub(c.amin(new int[] {2, 3}, false));
        assertEquals(0.0, perChannel.abs().max().item(), "whole channels are kept or dropped");
    }

    @Test
    void gradientPenaltyBackpropagatesThroughConvolutions() {
        Sequential critic = new Sequential(new Conv2d(1, 4, 4, 2, 1), new LeakyReLU(0.2), new Conv2d(4, 4, 3, 1, 1),
                new LeakyReLU(0.2), new Flatten(), new Linear(4 * 4 * 4, 1));
        Tensor xHat = Tensor.randn(3, 1, 8, 8).requiresGrad(true);
        Tensor out = critic.forward(xHat);
        Tensor gx = Autograd.grad(List.of(out.sum()), List.of(xHat), null, true, true, false)[0];
        Tensor penalty = gx.flatten(1, -1).square().sum(1, false).sqrt().sub(1).square().mean();
        penalty.backward();
        for (Map.Entry<String, Tensor> p : critic.namedParameters().entrySet()) {
            if (p.getKey().endsWith("weight")) {
                assertNotNull(p.getValue().grad(), p.getKey());
                assertTrue(p.getValue().grad().abs().sum().item() > 0, p.getKey());
            }
        }
    }

    @Test
    void containers() {
        ModuleList list = new ModuleList(new Linear(2, 3), new Linear(3, 1));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), new ArrayList<>(list.namedParameters().keySet()));
        assertEquals(2, list.size());
        Tensor h = Tensor.randn(4, 2);
        for (Module m : list) {
            h = m.forward(h);
        }
        assertArrayEquals(new int[] {4, 1}, h.shape());
        Tensor out = h;
        assertThrows(UnsupportedOperationException.class, () -> list.forward(out));
        ModuleDict dict = new ModuleDict().put("encoder", new Linear(2, 2)).put("head", new Identity());
        assertTrue(dict.containsKey("head"));
        assertEquals(List.of("encoder.weight", "encoder.bias"), new ArrayList<>(dict.stateDict().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dict.put("head", new ReLU()));
        assertTrue(e.getMessage().contains("'head' is already registered"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sequential(new Flatten(), new Unflatten(1, 5, -1))
                .forward(Tensor.randn(2, 3, 4)));
        assertEquals("Unflatten '1': cannot unflatten dim 1 of size 12 into [5, -1] (input [2, 12])", e.getMessage());
    }

    @Test
    void convTransposeOutputSizeChoosesTheOutputPadding() {
        ConvTranspose2d up = new ConvTranspose2d(2, 3, 3, 2, 1);
        Tensor x = Tensor.randn(1, 2, 4, 4);
        assertArrayEquals(new int[] {1, 3, 7, 7}, up.forward(x).shape());
        ConvTranspose2d padded = new ConvTranspose2d(2, 3, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 0}, 1, true, new int[] {1, 1});
        padded.loadStateDict(up.stateDict(), true);
        assertArrayEquals(padded.forward(x).toFloatArray(), up.forward(x, 8, 7).toFloatArray(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> up.forward(x, 9, 7));
        assertTrue(e.getMessage().startsWith("ConvTranspose2d: requested output size 9 x 7 is not reachable"), e.getMessage());
    }
}
