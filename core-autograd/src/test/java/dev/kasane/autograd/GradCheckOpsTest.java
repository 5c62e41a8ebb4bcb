package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.constant;
import static dev.kasane.autograd.TestTensors.longs;
import static dev.kasane.autograd.TestTensors.randn;
import static dev.kasane.autograd.TestTensors.randnT;
import static dev.kasane.autograd.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.PadMode;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every differentiable op against central finite differences in F64, first order and (where the op is smooth
 * enough) second order, on broadcast and non-contiguous inputs.
 */
class GradCheckOpsTest {
    private static final class Case {
        final String op;
        final String name;
        final GradCheck.Fn f;
        final Supplier<Tensor[]> inputs;
        final boolean secondOrder;

        Case(String op, String name, GradCheck.Fn f, Supplier<Tensor[]> inputs, boolean secondOrder) {
            this.op = op;
            this.name = name;
            this.f = f;
            this.inputs = inputs;
            this.secondOrder = secondOrder;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private void add(String op, String name, GradCheck.Fn f, Supplier<Tensor[]> inputs) {
        cases.add(new Case(op, name, f, inputs, true));
    }

    private void add1(String op, String name, GradCheck.Fn f, Supplier<Tensor[]> inputs) {
        cases.add(new Case(op, name, f, inputs, false));
    }

    private static Supplier<Tensor[]> in(Supplier<Tensor> a) {
        return () -> new Tensor[] {a.get()};
    }

    private static Supplier<Tensor[]> in(Supplier<Tensor> a, Supplier<Tensor> b) {
        return () -> new Tensor[] {a.get(), b.get()};
    }

    private void buildCases() {
        // ---- binary elementwise, broadcast and non-contiguous
        add("add", "broadcast [3,4]+[4]", x -> x[0].add(x[1]), in(() -> randn(3, 4), () -> randn(4)));
        add("add", "non-contiguous + [3,1]", x -> x[0].add(x[1]), in(() -> randnT(3, 4), () -> randn(3, 1)));
        add("sub", "broadcast [2,1,4]-[3,1]", x -> x[0].sub(x[1]), in(() -> randn(2, 1, 4), () -> randn(3, 1)));
        add("mul", "broadcast [3,4]*[4]", x -> x[0].mul(x[1]), in(() -> randn(3, 4), () -> randn(4)));
        add("mul", "non-contiguous * non-contiguous", x -> x[0].mul(x[1]), in(() -> randnT(3, 4), () -> randnT(3, 4)));
        add("mul", "with a constant", x -> x[0].mul(x[1]), in(() -> randn(3, 4), () -> constant(3, 4)));
        add("div", "broadcast [3,4]/[3,1]", x -> x[0].div(x[1]), in(() -> randn(3, 4), () -> uniform(0.5, 2, 3, 1)));
        add("pow", "tensor exponent, broadcast", x -> x[0].pow(x[1]), in(() -> uniform(0.5, 2, 3, 4), () -> randn(4)));
        add("maximum", "broadcast", x -> x[0].maximum(x[1]), in(() -> randn(3, 4), () -> randn(4)));
        add("minimum", "broadcast", x -> x[0].minimum(x[1]), in(() -> randn(3, 4), () -> randn(3, 1)));
        // ---- with a scalar
        add("add(s)", "", x -> x[0].add(2.5), in(() -> randn(3, 4)));
        add("sub(s)", "", x -> x[0].sub(2.5), in(() -> randn(3, 4)));
        add("rsub(s)", "", x -> x[0].rsub(2.5), in(() -> randn(3, 4)));
        add("mul(s)", "", x -> x[0].mul(-1.5), in(() -> randnT(3, 4)));
        add("div(s)", "", x -> x[0].div(3.0), in(() -> randn(3, 4)));
        add("pow(s)", "cube", x -> x[0].pow(3), in(() -> randn(3, 4)));
        add("pow(s)", "fractional on positives", x -> x[0].pow(2.5), in(() -> uniform(0.5, 2, 3, 4)));
        add("pow(s)", "square", x -> x[0].pow(2), in(() -> randn(5)));
        // ---- unary
        add("neg", "", x -> x[0].neg(), in(() -> randn(3, 4)));
        add("abs", "", x -> x[0].abs(), in(() -> randnT(3, 4)));
        add("exp", "", x -> x[0].exp(), in(() -> randn(3, 4)));
        add("log", "", x -> x[0].log(), in(() -> uniform(0.5, 3, 3, 4)));
        add("log1p", "", x -> x[0].log1p(), in(() -> uniform(-0.5, 3, 3, 4)));
        add("sqrt", "", x -> x[0].sqrt(), in(() -> uniform(0.5, 3, 3, 4)));
        add("rsqrt", "", x -> x[0].rsqrt(), in(() -> uniform(0.5, 3, 3, 4)));
        add("reciprocal", "", x -> x[0].reciprocal(), in(() -> uniform(0.5, 3, 3, 4)));
        add("square", "", x -> x[0].square(), in(() -> randnT(3, 4)));
        add("sin", "", x -> x[0].sin(), in(() -> randn(3, 4)));
        add("cos", "", x -> x[0].cos(), in(() -> randn(3, 4)));
        add("tanh", "", x -> x[0].tanh(), in(() -> randn(3, 4)));
        add("sigmoid", "", x -> x[0].sigmoid(), in(() -> randn(3, 4)));
        add("relu", "", x -> x[0].relu(), in(() -> randn(3, 4)));
        add("leakyRelu", "", x -> x[0].leakyRelu(0.2), in(() -> randnT(3, 4)));
        add("erf", "", x -> x[0].erf(), in(() -> randn(3, 4)));
        add("clamp", "", x -> x[0].clamp(-0.5, 0.7), in(() -> randn(3, 4)));
        add("clamp", "one-sided", x -> x[0].clamp(Double.NEGATIVE_INFINITY, 0.3), in(() -> randn(3, 4)));
        cases.add(new Case("toType", "F64 -> F32 -> F64", x -> x[0].toType(DType.F32).mul(2).toType(DType.F64),
                in(() -> randn(3, 4)), false));
        add("clone", "", x -> x[0].clone().mul(x[0]), in(() -> randn(3, 4)));
        add("contiguous", "of a transpose", x -> x[0].contiguous().square(), in(() -> randnT(3, 4)));
        // ---- reductions
        add("sum", "all", x -> x[0].sum(), in(() -> randnT(3, 4)));
        add("sum", "dims keepDim", x -> x[0].sum(new int[] {0, 2}, true).square(), in(() -> randn(2, 3, 4)));
        add("sum", "dim", x -> x[0].sum(-1).square(), in(() -> randn(2, 3, 4)));
        add("mean", "all", x -> x[0].mean().square(), in(() -> randn(3, 4)));
        add("mean", "dim", x -> x[0].mean(1, false).square(), in(() -> randnT(3, 4)));
        add("prod", "all", x -> x[0].prod(), in(() -> uniform(0.5, 1.5, 2, 3)));
        add("prod", "dim", x -> x[0].prod(1, false), in(() -> uniform(-1.5, 1.5, 3, 4)));
        add("prod", "with zeros", x -> x[0].prod(1, true),
                in(() -> Tensor.of(new double[] {1, 0, 2, 3, 0, 0, 2, 3, -1, 4, 0.5, 2}, 3, 4).requiresGrad(true)));
        add("prod", "with zeros over two dims", x -> x[0].prod(new int[] {0, 2}, false),
                in(() -> Tensor.of(new double[] {1, 0, 2, 3, 0, 0.5, 2, 3, -1, 4, 0.5, 2}, 2, 3, 2).requiresGrad(true)));
        add("max", "all", x -> x[0].max(), in(() -> randn(3, 4)));
        add("max", "dim", x -> x[0].max(1, false), in(() -> randnT(3, 4)));
        add("max", "dim keepDim", x -> x[0].max(0, true), in(() -> randn(3, 4)));
        add("min", "all", x -> x[0].min(), in(() -> randn(3, 4)));
        add("min", "dim", x -> x[0].min(-1, false), in(() -> randn(3, 4)));
        add("amax", "dims", x -> x[0].amax(new int[] {0, 2}, false), in(() -> randn(2, 3, 4)));
        add("amin", "dims keepDim", x -> x[0].amin(new int[] {1}, true), in(() -> randn(2, 3, 4)));
        add("var", "all", x -> x[0].var(), in(() -> randn(3, 4)));
        add("var", "dims, correction 0", x -> x[0].var(new int[] {1}, 0, true), in(() -> randnT(3, 4)));
        add("std", "all", x -> x[0].std(), in(() -> randn(3, 4)));
        add("std", "dims", x -> x[0].std(new int[] {0}, 1, false), in(() -> randn(3, 4)));
        add("logSumExp", "dim", x -> x[0].logSumExp(1, false), in(() -> randn(3, 4)));
        add("logSumExp", "all keepDim", x -> x[0].logSumExp(null, true), in(() -> randnT(3, 4)));
        add("softmax", "last dim", x -> x[0].softmax(-1), in(() -> randn(3, 4)));
        add("softmax", "dim 0 non-contiguous", x -> x[0].softmax(0), in(() -> randnT(3, 4)));
        add("logSoftmax", "", x -> x[0].logSoftmax(1), in(() -> randn(3, 4)));
        add("sumTo", "", x -> x[0].sumTo(3, 1), in(() -> randn(2, 3, 4)));
        // ---- views
        add("view", "", x -> x[0].view(4, 3).mul(x[0].view(4, 3)), in(() -> randn(3, 4)));
        add("reshape", "non-contiguous (copies)", x -> x[0].reshape(12).square(), in(() -> randnT(3, 4)));
        add("flatten", "", x -> x[0].flatten(1, 2).square(), in(() -> randn(2, 3, 2)));
        add("flatten", "from dim 1 to the end", x -> x[0].flatten(1).mul(x[0].reshape(2, 6)), in(() -> randn(2, 3, 2)));
        add("unflatten", "", x -> x[0].unflatten(1, 2, 2).square(), in(() -> randn(3, 4)));
        add("squeeze", "", x -> x[0].squeeze().square(), in(() -> randn(3, 1, 4)));
        add("squeeze", "dim", x -> x[0].squeeze(1).square(), in(() -> randn(3, 1, 4)));
        add("unsqueeze", "", x -> x[0].unsqueeze(1).mul(x[0].unsqueeze(0)), in(() -> randn(3)));
        Tensor c423 = constant(4, 2, 3);
        add("permute", "", x -> x[0].permute(2, 0, 1).mul(c423), in(() -> randn(2, 3, 4)));
        add("transpose", "", x -> x[0].transpose(0, 1).square(), in(() -> randnT(3, 4)));
        add("t", "", x -> x[0].t().matmul(x[0]), in(() -> randn(3, 2)));
        add("slice", "step 2", x -> x[0].slice(1, 0, 4, 2).square(), in(() -> randn(3, 5)));
        add("slice", "negative step", x -> x[0].slice(0, -1, Integer.MIN_VALUE, -2).square(), in(() -> randnT(5, 3)));
        add("narrow", "", x -> x[0].narrow(1, 1, 2).square(), in(() -> randn(3, 4)));
        add("select", "", x -> x[0].select(1, -1).square(), in(() -> randn(3, 4)));
        Tensor c234 = constant(2, 3, 4);
        add("expand", "", x -> x[0].expand(2, 3, 4).mul(c234), in(() -> randn(3, 1)));
        add("expandAs", "", x -> x[0].expandAs(x[1]).mul(x[1]), in(() -> randn(4), () -> randn(3, 4)));
        add("split", "", x -> x[0].split(2, 1).get(1).square().add(x[0].split(2, 1).get(0).sum()), in(() -> randn(3, 5)));
        add("split", "sizes", x -> x[0].split(new int[] {1, 3}, 0).get(1).exp(), in(() -> randn(4, 2)));
        add("chunk", "", x -> x[0].chunk(3, 0).get(2).square(), in(() -> randn(5, 2)));
        // ---- copies
        add("cat", "", x -> Tensor.cat(List.of(x[0], x[1], x[0]), 1).square(), in(() -> randn(2, 3), () -> randnT(2, 2)));
        add("stack", "", x -> Tensor.stack(List.of(x[0], x[1]), 1).square(), in(() -> randn(2, 3), () -> randn(2, 3)));
        add("pad", "constant with crop", x -> x[0].pad(new int[] {1, -1, 2, 0}, PadMode.CONSTANT, 3.0).square(),
                in(() -> randn(3, 4)));
        add("pad", "reflect", x -> x[0].pad(new int[] {2, 1, 1, 2}, PadMode.REFLECT, 0).square(), in(() -> randn(3, 4)));
        add("pad", "replicate", x -> x[0].pad(new int[] {2, 3}, PadMode.REPLICATE, 0).square(), in(() -> randnT(3, 4)));
        add("pad", "circular", x -> x[0].pad(new int[] {1, 2, 3, 0}, PadMode.CIRCULAR, 0).square(), in(() -> randn(3, 4)));
        Tensor c34 = constant(3, 4);
        add("flip", "", x -> x[0].flip(0, 1).mul(c34), in(() -> randn(3, 4)));
        add("repeat", "with a new leading dim", x -> x[0].repeat(2, 1, 3).square(), in(() -> randn(2, 2)));
        // ---- linear algebra
        add("matmul", "2-D", x -> x[0].matmul(x[1]), in(() -> randn(3, 4), () -> randnT(4, 2)));
        add("matmul", "2-D @ transposed (linear)", x -> x[0].matmul(x[1].t()), in(() -> randn(3, 4), () -> randn(2, 4)));
        add("matmul", "3-D @ transposed", x -> x[0].matmul(x[1].t()), in(() -> randn(2, 3, 4), () -> randn(2, 4)));
        add("matmul", "batched broadcast", x -> x[0].matmul(x[1]), in(() -> randn(2, 1, 3, 4), () -> randn(3, 4, 2)));
        add("matmul", "1-D @ 2-D", x -> x[0].matmul(x[1]), in(() -> randn(4), () -> randn(4, 3)));
        add("matmul", "2-D @ 1-D", x -> x[0].matmul(x[1]), in(() -> randn(3, 4), () -> randn(4)));
        add("matmul", "1-D @ 1-D", x -> x[0].matmul(x[1]), in(() -> randn(4), () -> randn(4)));
        add("matmul", "3-D @ 2-D", x -> x[0].matmul(x[1]), in(() -> randn(2, 3, 4), () -> randn(4, 2)));
        add("matmul", "1-D @ 3-D", x -> x[0].matmul(x[1]), in(() -> randn(4), () -> randn(2, 4, 3)));
        add("bmm", "", x -> x[0].bmm(x[1]), in(() -> randn(2, 3, 4), () -> randn(2, 4, 2)));
        // ---- indexing
        Tensor gidx = longs(new long[] {0, 2, 2, 1, 0, 0}, 3, 2);
        add("gather", "repeated indices", x -> x[0].gather(1, gidx), in(() -> randn(3, 4)));
        Tensor sidx = longs(new long[] {0, 1, 0, 2, 2, 1}, 2, 3);
        add("scatterAdd", "self and src", x -> x[0].scatterAdd(0, sidx, x[1]), in(() -> randn(3, 3), () -> randn(2, 3)));
        add("scatterAdd", "src larger than index", x -> x[0].scatterAdd(0, sidx, x[1]), in(() -> randn(3, 4), () -> randn(3, 4)));
        Tensor iidx = longs(new long[] {2, 0, 2}, 3);
        add("indexSelect", "repeated indices", x -> x[0].indexSelect(1, iidx), in(() -> randn(2, 4)));
        add("indexSelect", "dim 0 non-contiguous", x -> x[0].indexSelect(0, iidx).square(), in(() -> randnT(3, 2)));
        add("takeAlongDim", "", x -> x[0].takeAlongDim(longs(new long[] {1, 0, 3}, 3, 1), 1), in(() -> randn(3, 4)));
        Tensor mask = Tensor.of(new boolean[] {true, false, false, true}, 4);
        add("maskedFill", "broadcast mask", x -> x[0].maskedFill(mask, 2.0).square(), in(() -> randn(3, 4)));
        Tensor cond = Tensor.of(new boolean[] {true, false, true}, 3, 1);
        add("where", "broadcast", x -> Tensor.where(cond, x[0], x[1]).square(), in(() -> randn(4), () -> randn(3, 4)));
        // ---- in-place ops on non-leaf tensors (recorded)
        add("addInPlace", "", x -> x[0].mul(2).addInPlace(x[1]), in(() -> randn(3, 4), () -> randn(4)));
        add("mulInPlace", "", x -> x[0].mul(2).mulInPlace(x[1]), in(() -> randn(3, 4), () -> randn(3, 1)));
        add("divInPlace", "scalar", x -> x[0].sin().divInPlace(3), in(() -> randn(3, 4)));
        add("copyFrom", "", x -> x[0].mul(2).copyFrom(x[1]).mul(x[0]), in(() -> randn(3, 4), () -> randn(4)));
        add("clampInPlace", "", x -> x[0].mul(1).clampInPlace(-0.5, 0.5), in(() -> randn(3, 4)));
        // ---- composites
        add("composite", "softmax cross-entropy", x -> x[0].logSoftmax(1).mul(x[1]).sum().neg(),
                in(() -> randn(3, 5), () -> Tensor.of(new double[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0}, 3, 5)));
    }

    @TestFactory
    Stream<DynamicTest> firstOrder() {
        buildCases();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.op + " " + c.name, () -> {
            GradCheck.Options o = c.op.equals("toType") ? GradCheck.options().withEps(1e-2).withAtol(1e-3) : GradCheck.options();
            assertTrue(GradCheck.check(c.f, o, c.inputs.get()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> secondOrder() {
        buildCases();
        return cases.stream().filter(c -> c.secondOrder).map(c -> DynamicTest.dynamicTest(c.op + " " + c.name,
                () -> assertTrue(GradCheck.checkSecondOrder(c.f, GradCheck.options().withAtol(1e-4), c.inputs.get()))));
    }

    @Test
    void countsOpsCovered() {
        buildCases();
        Set<String> ops = new LinkedHashSet<>();
        for (Case c : cases) {
            ops.add(c.op);
        }
        // one entry per public differentiable op of Tensor (and the composites); keep README-section.md in sync
        assertEquals(81, ops.size(), () -> "ops covered: " + ops);
    }

    @Test
    void reportsTheFirstMismatchWithBothValues() {
        // a deliberately wrong backward: d/dx x^2 reported as x
        final class WrongSquare extends Function {
            @Override
            protected Tensor forward(Tensor... in) {
                saveForBackward(in[0]);
                return Tensor.of(in[0].data().unary(UnaryOp.SQUARE));
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {g.mul(savedTensors()[0])};
            }
        }
        Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(in -> new WrongSquare().apply(in[0]), x));
        assertTrue(e.getMessage().contains("index [0]") && e.getMessage().contains("analytic") && e.getMessage().contains("numerical"),
                e.getMessage());
    }
}
