package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
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
                params.add(Function.tensor(NDArray.of(Fixtures.doubles(find(b, "init", k), 2), shape), true));
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
                NDArray p = Function.array(params.get(k));
                NDArray g = a.get(k).binary(BinaryOp.MUL, a.get(k).binary(BinaryOp.MUL, p).binary(BinaryOp.SUB, c.get(k))).binary(BinaryOp.ADD, p.binary(BinaryOp.MUL, p).binary(BinaryOp.MUL, p));
                params.get(k).setGrad(Function.tensor(g));
            }
        }

        /** The fixture's groups, each with its options (PyTorch keys) read through the optimizer's schema. */
        <O extends OptimizerOptions<O>> List<ParamGroup<O>> groups(Fixtures.Block b, OptionSchema<O> schema) {
            List<ParamGroup<O>> out = new ArrayList<>();
            for (String[] g : b.all("group")) {
                int gi = Integer.parseInt(g[1]);
                List<Tensor> ps = new ArrayList<>();
                for (int k = 0; k < params.size(); k++) {
                    if (groupOf.get(k) == gi) {
                        ps.add(params.get(k));
                    }
                }
                Map<String, String> opts = Fixtures.options(g, 2);
                out.add(new ParamGroup<>(ps, o -> schema.fromPyTorch(b.name(), o, opts)));
            }
            return out;
        }
    }

    static Optimizer<?> create(String cls, Problem pr, Fixtures.Block b) {
        switch (cls) {
            case "SGD": return new SGD(pr.groups(b, SGD.SCHEMA), SGD.options());
            case "Adam": return new Adam(pr.groups(b, Adam.SCHEMA), Adam.options());
            case "AdamW": return new AdamW(pr.groups(b, Adam.SCHEMA), AdamW.options());
            case "RMSprop": return new RMSprop(pr.groups(b, RMSprop.SCHEMA), RMSprop.options());
            case "Adagrad": return new Adagrad(pr.groups(b, Adagrad.SCHEMA), Adagrad.options());
            case "Adadelta": return new Adadelta(pr.groups(b, Adadelta.SCHEMA), Adadelta.options());
            default: throw new IllegalArgumentException(cls);
        }
    }

    static OptionSchema<?> schema(String cls) {
        switch (cls) {
            case "SGD": return SGD.SCHEMA;
            case "Adam": case "AdamW": return Adam.SCHEMA;
            case "RMSprop": return RMSprop.SCHEMA;
            case "Adagrad": return Adagrad.SCHEMA;
            case "Adadelta": return Adadelta.SCHEMA;
            default: throw new IllegalArgumentException(cls);
        }
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<Fixtures.Block> cases = Fixtures.read("optimizers.txt");
        assertTrue(cases.size() >= 20, "cases: " + cases.size());
        return cases.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Problem pr = new Problem(b);
            runAndCompare(b, pr, create(b.header()[2], pr, b));
        }));
    }

    /** Runs the case's 10 steps with {@code opt} over the problem's parameters, comparing them after each step. */
    static void runAndCompare(Fixtures.Block b, Problem pr, Optimizer<?> opt) {
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
                    Fixtures.assertClose(Fixtures.doubles(e, 3), Function.array(pr.params.get(k)).toDoubleArray(), RTOL, 1e-12,
                            b.name() + " step " + step + " param " + k);
                }
            }
        }
        assertEquals(10, steps);
    }

    /**
     * Static check that every case's options were understood (no typo silently falling back to a default): each
     * fixture key is an option of the optimizer, and the group's typed options write it back as the same number.
     */
    @TestFactory
    Stream<DynamicTest> fixtureOptionsAreKnown() {
        return Fixtures.read("optimizers.txt").stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Problem pr = new Problem(b);
            String cls = b.header()[2];
            List<Map<String, String>> written = writtenOptions(create(cls, pr, b));
            List<String[]> groups = b.all("group");
            assertEquals(groups.size(), written.size(), b.name());
            for (int gi = 0; gi < groups.size(); gi++) {
                Map<String, String> fixture = Fixtures.options(groups.get(gi), 2);
                assertTrue(schema(cls).keys().containsAll(fixture.keySet()), b.name() + ": " + fixture.keySet());
                for (Map.Entry<String, String> e : fixture.entrySet()) {
                    assertEquals(Double.parseDouble(e.getValue()), Double.parseDouble(written.get(gi).get(e.getKey())), 0.0,
                            b.name() + " group " + gi + " " + e.getKey());
                }
            }
        }));
    }

    /** Each group's options as the state dict writes them, by PyTorch key. */
    private static List<Map<String, String>> writtenOptions(Optimizer<?> opt) {
        Map<String, String> params = opt.stateDict().params();
        List<Map<String, String>> out = new ArrayList<>();
        for (int gi = 0; gi < opt.paramGroups().size(); gi++) {
            String prefix = "param_groups." + gi + ".";
            Map<String, String> m = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    m.put(k.substring(prefix.length()), v);
                }
            });
            out.add(m);
        }
        return out;
    }
}
