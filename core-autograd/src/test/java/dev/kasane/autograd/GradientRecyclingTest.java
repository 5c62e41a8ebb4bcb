package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.constant;
import static dev.kasane.autograd.TestTensors.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward engine recycles the gradient buffers only it references (GradientBuffers; the CPU backend then reuses
 * their arrays): whatever user code can see keeps its values through later runs that reuse recycled memory. Shapes
 * are 64 x 64 F64 so that the CPU backend's pool keeps the arrays. Values are exact (tolerance 0) where the
 * arithmetic is exact, else within 1e-12.
 */
class GradientRecyclingTest {
    private static final int N = 64;

    /** {@code 2 x}, whose backward keeps the gradient it was given and the one it returned. */
    static final class Keeper extends Function {
        private final boolean claimsToRecycle;
        Tensor received;
        Tensor returned;

        Keeper(boolean claimsToRecycle) {
            this.claimsToRecycle = claimsToRecycle;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].mul(2);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            received = g;
            returned = g.mul(2);
            return new Tensor[] {returned};
        }

        @Override
        protected boolean recyclesGradients() {
            return claimsToRecycle;
        }
    }

    private static double[] times(double k, Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= k;
        }
        return v;
    }

    /** Runs a graph of the same shapes as the tests', so that recycled arrays are handed out and overwritten. */
    private static void churn() {
        for (int i = 0; i < 3; i++) {
            Tensor a = randn(N, N);
            a.mul(3).mul(constant(N, N)).relu().mul(a).sum().backward();
        }
    }

    @Test
    void gradientsKeptByAFunctionThatDoesNotRecycleKeepTheirValues() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        Keeper k = new Keeper(false);
        k.apply(x.mul(3)).mul(w).sum().backward();
        churn();
        assertArrayEquals(w.toDoubleArray(), k.received.toDoubleArray(), 0.0);
        assertArrayEquals(times(2, w), k.returned.toDoubleArray(), 0.0);
        assertArrayEquals(times(6, w), x.grad().toDoubleArray(), 0.0);
    }

    /** A function that claims to recycle but keeps its gradients shows that recycling happens: they fail loudly. */
    @Test
    void gradientsOfAFunctionThatRecyclesAreReleasedAfterUse() {
        Tensor x = randn(N, N);
        Keeper k = new Keeper(true);
        k.apply(x.mul(3)).mul(constant(N, N)).sum().backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.received.toDoubleArray());
        assertTrue(e.getMessage().contains("recycled"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> k.returned.toDoubleArray());
    }

    @Test
    void leafGradientTakenWithoutCopyAccumulatesOverRuns() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        x.mul(3).mul(w).sum().backward();
        Tensor first = x.grad();
        churn();
        x.mul(3).mul(w).sum().backward();
        assertSame(first, x.grad());
        assertArrayEquals(times(6, w), x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void retainedHookedAndReturnedGradientsKeepTheirValues() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        Tensor h = x.mul(3).retainGrad();
        Tensor u = h.mul(2);
        List<Tensor> seen = new ArrayList<>();
        u.registerHook(g -> {
            seen.add(g);
            return null;
        });
        u.mul(w).sum().backward();
        Tensor y = x.mul(3);
        Tensor[] g = Autograd.grad(y.mul(2).mul(w).sum(), y, x);
        churn();
        assertArrayEquals(w.toDoubleArray(), seen.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(times(2, w), h.grad().toDoubleArray(), 0.0);
        assertArrayEquals(times(2, w), g[0].toDoubleArray(), 0.0);
        assertArrayEquals(times(6, w), g[1].toDoubleArray(), 0.0);
    }

    /** Two gradients of one tensor are summed in place into a buffer only the run holds. */
    @Test
    void gradientsOfATensorUsedTwiceSumCorrectly() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        Tensor y = x.mul(w);
        y.mul(y).add(y.mul(3)).sum().backward();
        double[] xv = x.toDoubleArray();
        double[] wv = w.toDoubleArray();
        double[] want = new double[xv.length];
        for (int i = 0; i < want.length; i++) {
            double yv = xv[i] * wv[i];
            want[i] = (yv + yv + 3) * wv[i];
        }
        churn();
        assertArrayEquals(want, x.grad().toDoubleArray(), 1e-12);
    }
}
