package dev.kasane.backend.opencl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.nn.BatchNorm1d;
import dev.kasane.nn.Linear;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.Tanh;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Module.to(Device.opencl(0))} rebinds parameters and buffers in place: an optimizer built on the CPU before
 * the move updates the moved parameters, and the result equals a model moved before its optimizer was built.
 */
@RequiresOpenCl
class ModuleToOpenClKeepsIdentityTest {
    private static final Device D = OpenClTestSupport.DEVICE;
    /** Both runs execute the same OpenCL kernels in the same order on the same data, so they agree bit for bit. */
    private static final double TOL = 0;

    private static Sequential model() {
        Generator.seedGlobal(3);
        return new Sequential(new Linear(3, 5), new Tanh(), new BatchNorm1d(5), new Linear(5, 2));
    }

    private static void steps(Module m, Optimizer opt) {
        Generator gen = new Generator(5);
        for (int i = 0; i < 3; i++) {
            Tensor x = Tensor.normal(gen, 0, 1, DType.F32, D, 8, 3);
            Tensor target = Tensor.randint(gen, 0, 2, D, 8);
            TrainingSteps.step(opt, () -> F.crossEntropy(m.forward(x), target));
        }
    }

    private static void check(Function<List<Tensor>, Optimizer> optimizer) {
        Sequential moved = model();
        List<Tensor> params = moved.parameters();
        Tensor runningVar = moved.namedBuffers().get("2.running_var");
        Optimizer opt = optimizer.apply(params);
        moved.to(D);
        assertSame(params.get(0), moved.parameters().get(0), "the parameter object survives to(opencl)");
        assertSame(runningVar, moved.namedBuffers().get("2.running_var"), "the buffer object survives to(opencl)");
        assertEquals(D, params.get(0).device());
        assertEquals(D, runningVar.device());
        double[] before = params.get(0).toDoubleArray();
        steps(moved, opt);

        Sequential reference = model();
        reference.to(D);
        steps(reference, optimizer.apply(reference.parameters()));

        assertFalse(Arrays.equals(before, params.get(0).toDoubleArray()), "the optimizer updated the moved parameter");
        var expected = reference.stateDict();
        moved.stateDict().forEach((k, v) -> {
            assertEquals(D, v.device(), k);
            assertTrue(expected.get(k).allClose(v, 0, TOL), k + ": " + v + " vs " + expected.get(k));
        });
    }

    @Test
    void sgdBuiltBeforeTheMoveUpdatesTheMovedParameters() {
        check(p -> new SGD(p, 0.1));
    }

    @Test
    void adamBuiltBeforeTheMoveUpdatesTheMovedParameters() {
        check(p -> new Adam(p, 0.01));
    }
}
