package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Module#to(DType)} rebinds parameters, gradients and buffers in place, so an optimizer built before the
 * conversion updates the converted parameters, exactly as one built after it would (PyTorch's behaviour).
 */
class ModuleMoveKeepsIdentityTest {
    /** Both runs do the same F64 arithmetic in the same order, so they agree to rounding noise at most. */
    private static final double TOL = 1e-15;

    private static Sequential model() {
        Generator.seedGlobal(11);
        return new Sequential(new Linear(3, 5), new Tanh(), new BatchNorm1d(5), new Linear(5, 2));
    }

    private static Tensor lossOf(Module m) {
        Generator gen = new Generator(5);
        Tensor x = Tensor.normal(gen, 0, 1, DType.F64, m.parameters().get(0).device(), 8, 3);
        Tensor target = Tensor.randint(gen, 0, 2, x.device(), 8);
        return F.crossEntropy(m.forward(x), target);
    }

    private static void steps(Module m, Optimizer opt) {
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            lossOf(m).backward();
            opt.step();
        }
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer>) p -> new SGD(p, 0.1)),
                Arguments.of("Adam", (Function<List<Tensor>, Optimizer>) p -> new Adam(p, 0.01)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void optimizerBuiltBeforeToF64UpdatesTheConvertedParameters(String name, Function<List<Tensor>, Optimizer> optimizer) {
        Sequential moved = model();
        List<Tensor> params = moved.parameters();
        Tensor runningMean = moved.namedBuffers().get("2.running_mean");
        Optimizer opt = optimizer.apply(params);
        moved.to(DType.F64);
        assertSame(params.get(0), moved.parameters().get(0), "the parameter object survives to(F64)");
        assertSame(runningMean, moved.namedBuffers().get("2.running_mean"), "the buffer object survives to(F64)");
        assertEquals(DType.F64, params.get(0).dtype());
        assertEquals(DType.F64, runningMean.dtype());
        assertEquals(DType.I64, moved.namedBuffers().get("2.num_batches_tracked").dtype(), "integer buffers keep their dtype");
        double[] before = params.get(0).toDoubleArray();
        steps(moved, opt);

        Sequential reference = model();
        reference.to(DType.F64);
        steps(reference, optimizer.apply(reference.parameters()));

        assertFalse(Arrays.equals(before, params.get(0).toDoubleArray()), "the optimizer updated the parameter");
        var expected = reference.stateDict();
        moved.stateDict().forEach((k, v) -> assertTrue(expected.get(k).allClose(v, 0, TOL), k + ": " + v + " vs " + expected.get(k)));
    }

    @Test
    void gradientsAreConvertedWithTheirParameters() {
        Sequential m = model();
        lossOf(m.to(DType.F64)).backward();
        m.to(DType.F32);
        for (Tensor p : m.parameters()) {
            assertEquals(DType.F32, p.grad().dtype(), "grad follows its parameter");
        }
    }
}
