package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {
    @TempDir
    Path dir;

    /** Fresh parameters with the fixture problem's shapes and fixed values. */
    static List<Tensor> params() {
        return List.of(
                dev.kasane.autograd.Function.tensor(NDArray.of(new double[] {-0.66, -0.68, 1.09, 0.47, 1.27, 1.02}, 2, 3), true),
                dev.kasane.autograd.Function.tensor(NDArray.of(new double[] {-1.17, 1.48, 1.27, 1.10}), true),
                dev.kasane.autograd.Function.tensor(NDArray.of(new double[] {0.093}, new int[0]), true));
    }

    /** Gradient of sum(0.5 (1.5 p - 0.3)^2 + 0.25 p^4). */
    static void grads(List<Tensor> ps) {
        for (Tensor t : ps) {
            NDArray p = dev.kasane.autograd.Function.array(t);
            t.setGrad(dev.kasane.autograd.Function.tensor(p.binary(BinaryOp.MUL, 1.5).binary(BinaryOp.SUB, 0.3).binary(BinaryOp.MUL, 1.5).binary(BinaryOp.ADD, p.binary(BinaryOp.MUL, p).binary(BinaryOp.MUL, p))));
        }
    }

    static List<Tensor> copy(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) {
            out.add(dev.kasane.autograd.Function.tensor(dev.kasane.autograd.Function.array(p).copy(), true));
        }
        return out;
    }

    static void train(Optimizer<?> opt, List<Tensor> ps, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            grads(ps);
            opt.step();
        }
    }

    /** Adam with lr 0.01 over {@code ps}, trained {@code steps} steps. */
    static Adam trainedAdam(List<Tensor> ps, int steps) {
        Adam adam = new Adam(ps, 0.01);
        train(adam, ps, steps);
        return adam;
    }

    static final List<Function<List<Tensor>, Optimizer<?>>> ALL = List.of(
            ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)),
            ps -> new Adam(ps, Adam.options().lr(0.05).amsgrad(true)),
            ps -> new AdamW(List.of(new ParamGroup<>(ps.subList(0, 2)), new ParamGroup<>(ps.subList(2, 3), o -> o.lr(0.1))),
                    AdamW.options().lr(0.05)),
            ps -> new RMSprop(ps, RMSprop.options().lr(0.01).centered(true).momentum(0.5)),
            ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.01).initialAccumulatorValue(0.1)),
            ps -> new Adadelta(ps, Adadelta.options().lr(0.5)));

    @Test
    void stateDictRoundTripThroughSafetensorsResumesExactly() throws Exception {
        for (Function<List<Tensor>, Optimizer<?>> make : ALL) {
            List<Tensor> straight = params();
            Optimizer<?> a = make.apply(straight);
            train(a, straight, 10);

            List<Tensor> first = params();
            Optimizer<?> b = make.apply(first);
            train(b, first, 5);
            Path f = dir.resolve(b.name() + ".safetensors");
            b.stateDict().save(f);
            List<Tensor> resumed = copy(first);
            Optimizer<?> c = make.apply(resumed);
            c.loadStateDict(OptimizerStateDict.load(f));
            train(c, resumed, 5);
            for (int k = 0; k < straight.size(); k++) {
                assertArrayEquals(dev.kasane.autograd.Function.array(straight.get(k)).toDoubleArray(), dev.kasane.autograd.Function.array(resumed.get(k)).toDoubleArray(), 0.0,
                        a.name() + " param " + k);
            }
            // the original keeps training independently of the snapshot
            train(b, first, 5);
            assertArrayEquals(dev.kasane.autograd.Function.array(straight.get(0)).toDoubleArray(), dev.kasane.autograd.Function.array(first.get(0)).toDoubleArray(), 0.0);
        }
    }

    @Test
    void stateDictKeys() {
        List<Tensor> ps = params();
        Adam adam = trainedAdam(ps, 2);
        OptimizerStateDict sd = adam.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step", "state.1.exp_avg",
                "state.1.exp_avg_sq", "state.2.step", "state.2.exp_avg", "state.2.exp_avg_sq"), List.copyOf(sd.tensors().keySet()));
        assertEquals(2, dev.kasane.autograd.Function.array(sd.tensors().get("state.1.step")).itemLong());
        assertEquals(DType.I64, sd.tensors().get("state.1.step").dtype());
        assertEquals("Adam", sd.params().get("optimizer"));
        assertEquals("0,1,2", sd.params().get("param_groups.0.params"));
        assertEquals("0.01", sd.params().get("param_groups.0.lr"));
        assertEquals("0.999", sd.params().get("param_groups.0.beta2"));
        // snapshot, not a view
        assertTrue(!dev.kasane.autograd.Function.array(sd.tensors().get("state.0.exp_avg")).sharesStorageWith(dev.kasane.autograd.Function.array(adam.state(ps.get(0)).get("exp_avg"))));
        assertTrue(!sd.tensors().get("state.0.exp_avg").requiresGrad());
    }

    @Test
    void loadStateDictRejectsMismatchesAndChangesNothing() {
        OptimizerStateDict sd = trainedAdam(params(), 1).stateDict();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(params(), 0.1).loadStateDict(sd));
        assertTrue(e.getMessage().contains("Adam"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(params().subList(0, 2), 0.1).loadStateDict(sd));
        assertTrue(e.getMessage().contains("group"), e.getMessage());
        List<Tensor> other = List.of(Tensor.zeros(DType.F64, 3, 2).requiresGrad(true), params().get(1), params().get(2));
        Adam target = new Adam(other, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(sd));
        assertTrue(e.getMessage().contains("state.0.exp_avg"), e.getMessage());
        assertEquals(0.5, target.paramGroups().get(0).lr(), "nothing changed");
        assertNull(target.state(other.get(1)));
        var bad = OptimizerStateDict.of(sd.tensors(), Map.of("optimizer", "Adam", "param_groups", "1",
                "param_groups.0.params", "0,1,2", "param_groups.0.lr", "fast"));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1).loadStateDict(bad));
    }

    @Test
    void constructorChecks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertTrue(e.getMessage().contains("empty parameter list"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
        Tensor p = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
        assertTrue(e.getMessage().contains("more than one parameter group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p.mul(2)), 0.1));
        assertTrue(e.getMessage().contains("non-leaf"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -0.1));
        assertTrue(e.getMessage().contains("lr -0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), SGD.options().lr(0.1).nesterov(true)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), Adam.options().betas(1.0, 0.9)));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(List.of(p), RMSprop.options().alpha(-1)));
        assertThrows(IllegalArgumentException.class, () -> new Adadelta(List.of(p), Adadelta.options().rho(1.5)));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(List.of(p), Adagrad.options().lrDecay(-1)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(dev.kasane.autograd.Function.tensor(NDArray.of(new long[] {1}))), 0.1));
    }

    @Test
    void zeroGradAndSkippingParametersWithoutGrad() {
        List<Tensor> ps = params();
        SGD sgd = new SGD(ps, 0.1);
        double[] before = dev.kasane.autograd.Function.array(ps.get(1)).toDoubleArray();
        grads(ps);
        ps.get(1).setGrad(null);
        sgd.step();
        assertArrayEquals(before, dev.kasane.autograd.Function.array(ps.get(1)).toDoubleArray(), 0.0, "no grad: unchanged");
        NDArray g0 = dev.kasane.autograd.Function.array(ps.get(0).grad());
        sgd.zeroGrad(false);
        assertSame(g0, dev.kasane.autograd.Function.array(ps.get(0).grad()), "zeroed in place");
        assertArrayEquals(new double[6], g0.toDoubleArray(), 0.0);
        sgd.zeroGrad();
        assertNull(ps.get(0).grad());
    }

    /**
     * zeroGrad gives a gradient that backward made, and only the library read, back to the backend (its memory is
     * reused by the next backward, as PyTorch's set_to_none frees it); a gradient user code took with grad() stays
     * valid. 64 x 64 F64 parameters, so that the CPU backend's pool keeps the arrays. Adam's steps are checked against
     * the same steps on a copy whose gradients are always taken (tolerance 0: same arithmetic).
     */
    @Test
    void zeroGradRecyclesGradientsNobodyTookAndKeepsTakenOnes() {
        Tensor w = dev.kasane.autograd.Function.tensor(NDArray.normal(new dev.kasane.tensor.Generator(3), 0, 1,
                DType.F64, dev.kasane.tensor.Device.CPU, 64, 64), true);
        Tensor twin = copy(List.of(w)).get(0);
        Adam recycling = new Adam(List.of(w), 0.01);
        Adam keeping = new Adam(List.of(twin), 0.01);
        Tensor target = dev.kasane.autograd.Function.tensor(NDArray.normal(new dev.kasane.tensor.Generator(4), 0, 1,
                DType.F64, dev.kasane.tensor.Device.CPU, 64, 64));
        List<Tensor> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recycling.zeroGrad();
            w.sub(target).square().sum().backward();
            Tensor internal = dev.kasane.autograd.Function.grad(w);
            recycling.step();
            recycling.zeroGrad();
            IllegalStateException e = assertThrows(IllegalStateException.class, internal::toDoubleArray);
            assertTrue(e.getMessage().contains("recycled"), e.getMessage());

            keeping.zeroGrad();
            twin.sub(target).square().sum().backward();
            taken.add(twin.grad());
            keeping.step();
        }
        keeping.zeroGrad();
        assertArrayEquals(dev.kasane.autograd.Function.array(twin).toDoubleArray(),
                dev.kasane.autograd.Function.array(w).toDoubleArray(), 0.0);
        for (Tensor g : taken) {
            assertEquals(64 * 64, g.toDoubleArray().length, "a taken gradient stays readable");
        }
    }

    @Test
    void stepWithClosureAndRealAutograd() {
        Tensor w = dev.kasane.autograd.Function.tensor(NDArray.of(new double[] {1.0, -2.0}), true);
        SGD sgd = new SGD(List.of(w), 0.1);
        Tensor loss = sgd.step(() -> {
            sgd.zeroGrad();
            Tensor l = w.square().sum();
            l.backward();
            return l;
        });
        assertEquals(5.0, loss.item(), 1e-12);
        assertArrayEquals(new double[] {0.8, -1.6}, dev.kasane.autograd.Function.array(w).toDoubleArray(), 1e-12);
        assertNotNull(sgd.state(w));
    }

    @Test
    void adagradCreatesStateEagerly() {
        List<Tensor> ps = params();
        Adagrad a = new Adagrad(ps, Adagrad.options().initialAccumulatorValue(0.25));
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, dev.kasane.autograd.Function.array(a.state(ps.get(1)).get("sum")).toDoubleArray(), 0.0);
        Tensor extra = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        a.addParamGroup(new ParamGroup<>(List.of(extra), o -> o.lr(0.5)));
        assertNotNull(a.state(extra));
        assertEquals(0.5, a.paramGroups().get(1).lr());
        assertEquals(0.25, a.paramGroups().get(1).options().initialAccumulatorValue());
    }

    @Test
    void f32ParametersWork() {
        Tensor w = dev.kasane.autograd.Function.tensor(NDArray.of(new float[] {1f, 2f}), true);
        Adam adam = new Adam(List.of(w), 0.1);
        w.setGrad(dev.kasane.autograd.Function.tensor(NDArray.of(new float[] {0.5f, -0.5f})));
        adam.step();
        assertEquals(DType.F32, adam.state(w).get("exp_avg").dtype());
        assertArrayEquals(new float[] {0.9f, 2.1f}, dev.kasane.autograd.Function.array(w).toFloatArray(), 1e-6f);
    }

    @Test
    void typedOptionsHavePyTorchDefaults() {
        assertEquals(new Adam.Options(1e-3, 0.9, 0.999, 1e-8, 0, false, false), Adam.options());
        assertEquals(Adam.options().weightDecay(1e-2), AdamW.options());
        assertEquals(new SGD.Options(1e-3, 0, 0, 0, false, false), SGD.options());
        assertEquals(new RMSprop.Options(1e-2, 0.99, 1e-8, 0, 0, false, false), RMSprop.options());
        assertEquals(new Adagrad.Options(1e-2, 0, 0, 0, 1e-10, false), Adagrad.options());
        assertEquals(new Adadelta.Options(1.0, 0.9, 1e-6, 0, false), Adadelta.options());
        Adam.Options o = Adam.options().lr(0.1).betas(0.5, 0.9).amsgrad(true);
        assertEquals(new Adam.Options(0.1, 0.5, 0.9, 1e-8, 0, true, false), o, "copying setters change one option each");
        assertEquals(0.5, o.cycledMomentum(), 0.0);
        assertEquals(0.7, SGD.options().cycledMomentum(0.7).momentum(), 0.0);
    }

    @Test
    void groupOptionsAreValidatedWhenChanged() {
        SGD sgd = new SGD(params(), SGD.options().lr(0.1).momentum(0.9));
        ParamGroup<SGD.Options> g = sgd.paramGroups().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.lr(-1));
        assertTrue(e.getMessage().contains("SGD: invalid lr -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.options(g.options().dampening(0.5).nesterov(true)));
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
        assertEquals(SGD.options().lr(0.1).momentum(0.9), g.options(), "unchanged after the rejected changes");
        ParamGroup<SGD.Options> loose = new ParamGroup<>(params());
        assertThrows(IllegalStateException.class, loose::options);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(g), SGD.options()), "already owned");
    }

    @Test
    void stateDictOptionKeysAndTheirParsing() {
        Adam adam = new Adam(params(), Adam.options().lr(0.05).amsgrad(true));
        Map<String, String> p = adam.stateDict().params();
        assertEquals("1.0", p.get("param_groups.0.amsgrad"));
        assertEquals("0.9", p.get("param_groups.0.beta1"));
        java.util.LinkedHashMap<String, String> edited = new java.util.LinkedHashMap<>(p);
        edited.put("param_groups.0.amsgrad", "false");
        edited.put("param_groups.0.max_lr", "0.5"); // OneCycleLR's bound: ignored
        edited.put("param_groups.0.initial_lr", "0.01");
        Adam target = new Adam(params(), 0.1);
        target.loadStateDict(OptimizerStateDict.of(Map.of(), edited));
        assertEquals(Adam.options().lr(0.05), target.paramGroups().get(0).options());
        assertEquals(0.01, target.paramGroups().get(0).initialLr().getAsDouble(), 0.0);
        edited.put("param_groups.0.momentum", "0.9");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(OptimizerStateDict.of(Map.of(), edited)));
        assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
        edited.remove("param_groups.0.momentum");
        edited.put("param_groups.0.amsgrad", "2");
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(OptimizerStateDict.of(Map.of(), edited)));
    }

    @Test
    void stateBuffersArePlainTensors() {
        List<Tensor> ps = params();
        Adam adam = trainedAdam(ps, 1);
        assertTrue(!adam.state(ps.get(0)).get("exp_avg").requiresGrad());
        ParamState s = adam.state(ps.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.put("extra", Tensor.zeros(DType.F64, 2, 3).requiresGrad(true)));
        assertTrue(e.getMessage().contains("extra"), e.getMessage());
    }
}
