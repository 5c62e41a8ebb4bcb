package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every optimizer and option combination of gen_optim_fixtures.py: parameters after each of 10 steps (float64) match
 * PyTorch's within 1e-6 relative. The gradient of the fixture's loss
 * {@code sum(0.5 (a p - c)^2 + 0.25 p^4)} is computed analytically: {@code a (a p - c) + p^3}.
 */
class OptimizerParityTest {
    static final double RTOL = 1e-6;

    /** A fixture problem: parameters, their groups and coefficients. */
    static final class Problem {
        final List<Tensor> params = new ArrayList<>();
        final List<Integer> groupOf = new ArrayList<>();
        final List<NDArray> a = new ArrayList<>();
        final List<NDArray> c = new ArrayList<>();

        Problem(Fixtures.Block b) {
            for (String[] p : b.all("param")) {
                int k = Integer.parseInt(p[1]);
                int[] shape = p[3].equals("-") ? new int[0] : Arrays.stream(p[3].split(",")).mapToInt(Integer::parseInt).toArray();
                params.add(Tensor.of(NDArray.of(Fixtures.doubles(find(b, "init", k), 2), shape), true));
                groupOf.add(Integer.parseInt(p[2]));
                a.add(NDArray.of(Fixtures.doubles(find(b, "coef", k), 2), shape));
                c.add(NDArray.of(Fixtures.doubles(find(b, "target", k), 2), shape));
            }
        }

        private static String[] find(Fixtures.Block b, String tag, int k) {
            for (String[] l : b.all(tag)) {
                if (Integer.parseInt(l[1]) == k) {
                    return l;
                }
            }
            throw new IllegalStateException(b + ": no " + tag + " for param " + k);
        }

        /** Sets each parameter's gradient to a (a p - c) + p^3. */
        void computeGrads() {
            for (int k = 0; k < params.size(); k++) {
                NDArray p = params.get(k).data();
                NDArray g = a.get(k).mul(a.get(k).mul(p).sub(c.get(k))).add(p.mul(p).mul(p));
                params.get(k).setGrad(Tensor.of(g));
            }
        }

        List<ParamGroup> groups(Fixtures.Block b) {
            List<ParamGroup> out = new ArrayList<>();
            for (String[] g : b.all("group")) {
                int gi = Integer.parseInt(g[1]);
                List<Tensor> ps = new ArrayList<>();
                for (int k = 0; k < params.size(); k++) {
                    if (groupOf.get(k) == gi) {
                        ps.add(params.get(k));
                    }
                }
                Map<String, Double> opts = new LinkedHashMap<>();
                Fixtures.options(g, 2).forEach((key, v) -> opts.put(key, Double.parseDouble(v)));
                out.add(new ParamGroup(ps, opts));
            }
            return out;
        }
    }

    static Optimizer create(String cls, List<ParamGroup> groups) {
        switch (cls) {
            case "SGD": return new SGD(groups, SGD.options());
            case "Adam": return new Adam(groups, Adam.options());
            case "AdamW": return new AdamW(groups, AdamW.options());
            case "RMSprop": return new RMSprop(groups, RMSprop.options());
            case "Adagrad": return new Adagrad(groups, Adagrad.options());
            case "Adadelta": return new Adadelta(groups, Adadelta.options());
            default: throw new IllegalArgumentException(cls);
        }
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<Fixtures.Block> cases = Fixtures.read("optimizers.txt");
        assertTrue(cases.size() >= 20, "cases: " + cases.size());
        return cases.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Problem pr = new Problem(b);
            Optimizer opt = create(b.header()[2], pr.groups(b));
            List<String[]> expects = b.all("expect");
            int steps = 0;
            for (int step = 1; step <= 10; step++) {
                opt.zeroGrad();
                pr.computeGrads();
                opt.step();
                steps++;
                for (String[] e : expects) {
                    if (Integer.parseInt(e[1]) == step) {
                        int k = Integer.parseInt(e[2]);
                        Fixtures.assertClose(Fixtures.doubles(e, 3), pr.params.get(k).data().toDoubleArray(), RTOL, 1e-12,
                                b.name() + " step " + step + " param " + k);
                    }
                }
            }
            assertEquals(10, steps);
        }));
    }

    /** Static check that every case's options were understood (no typo silently falling back to a default). */
    @TestFactory
    Stream<DynamicTest> fixtureOptionsAreKnown() {
        return Fixtures.read("optimizers.txt").stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Problem pr = new Problem(b);
            Optimizer opt = create(b.header()[2], pr.groups(b));
            for (ParamGroup g : opt.paramGroups()) {
                assertArrayEquals(opt.defaults().keySet().stream().sorted().toArray(),
                        g.options().keySet().stream().sorted().toArray(), b.name());
            }
        }));
    }
}
