package dev.kasane.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.tensor.Device;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's outputs and gradients against a PyTorch fixture: its weights under {@code w.<key>}, and the reference
 * gradients of {@code sum(output * r)} under {@code grad.<key>}. Tolerance: 1e-4 of the largest magnitude of the
 * reference tensor; for parameter gradients at least 1e-4 of the model's largest gradient.
 */
final class PytorchReference {
    static final double TOL = 1e-4;

    private PytorchReference() {
    }

    /** Loads fixture {@code name} and the weights it holds into {@code model}; returns the fixture's tensors. */
    static Map<String, Tensor> load(String name, Module model) throws IOException {
        Map<String, Tensor> f = Fixtures.load(name);
        Map<String, Tensor> w = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("w.")) {
                w.put(k.substring(2), v.to(Device.getDefault()));
            }
        });
        model.loadStateDict(w, true);
        return f;
    }

    /**
     * The model's output for fixture input {@code input}, and the gradients of {@code sum(output * r)} for the input
     * ({@code grad_input}) and every parameter, against the fixture's.
     */
    static void assertMatches(String name, Map<String, Tensor> f, Module model) {
        Tensor x = f.get("input").to(Device.getDefault()).requiresGrad(true);
        Tensor y = model.forward(x);
        assertClose(name + " output", f.get("output"), y, 0);
        y.mul(f.get("r").to(y.device())).sum().backward();
        assertClose(name + " input gradient", f.get("grad_input"), x.grad(), 0);
        assertParameterGradients(name, f, model);
    }

    /** Every parameter's gradient against its {@code grad.<key>}, each of those compared once. */
    static void assertParameterGradients(String name, Map<String, Tensor> f, Module model) {
        double scale = 0;
        for (String k : f.keySet()) {
            if (k.startsWith("grad.")) {
                scale = Math.max(scale, maxAbs(f.get(k).toDoubleArray()));
            }
        }
        int checked = 0;
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            Tensor expected = f.get("grad." + p.getKey());
            assertNotNull(expected, name + ": the reference has no parameter " + p.getKey());
            assertNotNull(p.getValue().grad(), name + ": no gradient for " + p.getKey());
            assertClose(name + " grad of " + p.getKey(), expected, p.getValue().grad(), scale);
            checked++;
        }
        assertEquals(f.keySet().stream().filter(k -> k.startsWith("grad.")).count(), checked, name + ": parameters compared");
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** |a - e| <= TOL * max(max |e|, floor) everywhere. */
    static void assertClose(String what, Tensor expected, Tensor actual, double floor) {
        assertNotNull(actual, what + ": missing");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.contiguous().toDoubleArray();
        double bound = TOL * Math.max(maxAbs(e), floor);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= bound)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i] + " (tolerance " + bound + ")");
            }
        }
    }
}
