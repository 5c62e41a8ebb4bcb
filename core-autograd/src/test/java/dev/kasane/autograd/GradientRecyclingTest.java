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

    /** Backward of {@code sum(3 x w)}: {@code x.grad += 3 w}. */
    private static void backwardOf3xw(Tensor x, Tensor w) {
        x.mul(3).mul(w).sum().backward();
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
        assertRecycled(k.received);
        assertRecycled(k.returned);
    }

    @Test
    void leafGradientTakenWithoutCopyAccumulatesOverRuns() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        backwardOf3xw(x, w);
        Tensor first = x.grad();
        churn();
        backwardOf3xw(x, w);
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

    private static void assertRecycled(Tensor t) {
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertTrue(e.getMessage().contains("recycled"), e.getMessage());
    }

    /**
     * A leaf's gradient that only the library looked at ({@link Function#grad}, as optimizers read it) goes back to
     * the backend when it is cleared, also after runs accumulated into it in place, as PyTorch frees it on
     * {@code zero_grad}.
     */
    @Test
    void clearingAGradientNobodyTookRecyclesIt() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        backwardOf3xw(x, w);
        Tensor first = Function.grad(x);
        x.setGrad(null);
        assertRecycled(first);

        backwardOf3xw(x, w);
        backwardOf3xw(x, w);
        Tensor accumulated = Function.grad(x);
        assertArrayEquals(times(6, w), accumulated.toDoubleArray(), 1e-12);
        x.setGrad(null);
        assertRecycled(accumulated);
    }

    /** A gradient taken with {@link Tensor#grad()}, set by user code or built as a graph keeps its values. */
    @Test
    void gradientsUserCodeCanHoldKeepTheirValuesWhenCleared() {
        Tensor w = constant(N, N);
        Tensor x = randn(N, N);
        backwardOf3xw(x, w);
        Tensor taken = x.grad(); // user code may keep it
        x.setGrad(null);
        churn();
        assertArrayEquals(times(3, w), taken.toDoubleArray(), 0.0);

        backwardOf3xw(x, w);
        Tensor sameMemory = Function.grad(x).detach(); // another tensor over the unseen gradient's storage
        x.setGrad(sameMemory);
        churn();
        assertArrayEquals(times(3, w), sameMemory.toDoubleArray(), 0.0, "replacing a gradient by a view keeps it");
        x.setGrad(null);

        Tensor mine = constant(N, N);
        double[] sum = mine.add(w.mul(3)).toDoubleArray();
        x.setGrad(mine);
        backwardOf3xw(x, w);
        x.setGrad(null);
        churn();
        assertArrayEquals(sum, mine.toDoubleArray(), 1e-12);

        x.mul(x).mul(w).sum().backward(null, false, true);
        Tensor graphGrad = Function.grad(x);
        x.setGrad(null);
        churn();
        double[] xv = x.toDoubleArray();
        double[] wv = w.toDoubleArray();
        double[] want = new double[xv.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = 2 * xv[i] * wv[i];
        }
        assertArrayEquals(want, graphGrad.toDoubleArray(), 1e-12);
    }

    /**
     * An addition's backward hands one gradient to both of its inputs: the run counts the two references and recycles
     * the buffer after the second consumer ran (it was never recycled before), and never sums another gradient into
     * it in place while the other consumer still holds it.
     */
    @Test
    void aGradientSharedByBothInputsOfAnAdditionIsRecycledAfterBoth() {
        Tensor x = randn(N, N);
        Tensor w = constant(N, N);
        Tensor v = constant(N, N);
        Keeper k1 = new Keeper(true);
        Keeper k2 = new Keeper(true);
        k1.apply(x.mul(3)).add(k2.apply(x.mul(5))).mul(w).sum().backward();
        assertSame(k1.received.data.storage(), k2.received.data.storage());
        assertRecycled(k1.received);
        assertArrayEquals(times(16, w), x.grad().toDoubleArray(), 1e-12);

        Tensor y = randn(N, N);
        Tensor a = y.mul(3);
        a.add(y.mul(5)).mul(w).sum().add(a.mul(v).sum()).backward();
        double[] wv = w.toDoubleArray();
        double[] vv = v.toDoubleArray();
        double[] want = new double[wv.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = 3 * (wv[i] + vv[i]) + 5 * wv[i];
        }
        churn();
        assertArrayEquals(want, y.grad().toDoubleArray(), 1e-12);
    }
}
