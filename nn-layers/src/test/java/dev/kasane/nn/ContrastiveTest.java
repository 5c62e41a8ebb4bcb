package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * NT-Xent ({@code F.ntXent}) against the PyTorch reference of src/test/python/gen_ssl_fixtures.py (loss and the
 * gradients of both views; computed in F64 with tolerance {@code 1e-7 (1 + |e|)} and in F32 with {@code 2e-5}),
 * against central differences to second order, and its argument checks.
 */
class ContrastiveTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ntxent_t05", "ntxent_t01_scaled", "ntxent_single", "ntxent_close_views"})
    void matchesPyTorch(String name) {
        Map<String, Tensor> fx = Fixtures.load(name);
        double tau = fx.get("temperature").item();
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            double tol = dtype == DType.F64 ? 1e-7 : 2e-5;
            Tensor z1 = fx.get("z1").toType(dtype).requiresGrad(true);
            Tensor z2 = fx.get("z2").toType(dtype).requiresGrad(true);
            Tensor loss = F.ntXent(z1, z2, tau);
            assertEquals(dtype, loss.dtype());
            assertClose(name + " loss " + dtype, fx.get("output"), loss, tol);
            loss.backward();
            assertClose(name + " grad z1 " + dtype, fx.get("grad_z1"), z1.grad(), tol);
            assertClose(name + " grad z2 " + dtype, fx.get("grad_z2"), z2.grad(), tol);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Generator.seedGlobal(11);
        Tensor a = Tensor.randn(3, 4).requiresGrad(true);
        Tensor b = Tensor.randn(3, 4).requiresGrad(true);
        assertTrue(GradCheck.check(x -> F.ntXent(x[0], x[1], 0.3), a, b));
        assertTrue(GradCheck.checkSecondOrder(x -> F.ntXent(x[0], x[1], 0.7), a, b));
    }

    @Test
    void identicalViewsScoreBetterThanUnrelatedOnes() {
        Generator.seedGlobal(5);
        Tensor z = Tensor.randn(8, 16);
        double same = F.ntXent(z, z, 0.1).item();
        double unrelated = F.ntXent(z, Tensor.randn(8, 16), 0.1).item();
        assertTrue(same < 0.1 && unrelated > 1, "loss of identical views " + same + ", of unrelated ones " + unrelated);
    }

    @Test
    void rejectsBadArguments() {
        Tensor z = Tensor.randn(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.ntXent(z, Tensor.randn(4, 2), 0.5));
        assertTrue(e.getMessage().startsWith("ntXent: expected two non-empty embeddings [N, D] of the same shape, got "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.ntXent(z, z.toType(DType.F64), 0.5));
        assertTrue(e.getMessage().startsWith("ntXent: expected floating-point embeddings of one dtype"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.ntXent(z, z, 0));
        assertEquals("ntXent: temperature must be positive and finite, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.ntXent(Tensor.randn(4), Tensor.randn(4), 0.5));
    }
}
