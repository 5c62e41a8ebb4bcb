package dev.kasane.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipTest {
    static List<Tensor> withGrads(double[]... grads) {
        return java.util.Arrays.stream(grads).map(g -> {
            Tensor p = Function.tensor(NDArray.of(new double[g.length]), true);
            p.setGrad(Function.tensor(NDArray.of(g)));
            return p;
        }).toList();
    }

    @Test
    void clipsTheTotalTwoNorm() {
        List<Tensor> ps = withGrads(new double[] {3, 4}, new double[] {12});
        double total = GradClip.clipGradNorm(ps, 6.5);
        assertEquals(13, total, 1e-12);
        double coef = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 4 * coef}, Function.array(ps.get(0).grad()).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {12 * coef}, Function.array(ps.get(1).grad()).toDoubleArray(), 1e-15);
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<Tensor> ps = withGrads(new double[] {3, 4});
        assertEquals(5, GradClip.clipGradNorm(ps, 10), 1e-12);
        assertArrayEquals(new double[] {3, 4}, Function.array(ps.get(0).grad()).toDoubleArray(), 0.0);
    }

    @Test
    void otherNorms() {
        List<Tensor> ps = withGrads(new double[] {3, -4}, new double[] {-12});
        assertEquals(12, GradClip.clipGradNorm(ps, 6, Double.POSITIVE_INFINITY), 1e-12);
        assertArrayEquals(new double[] {-12 * 6 / (12 + 1e-6)}, Function.array(ps.get(1).grad()).toDoubleArray(), 1e-12);
        ps = withGrads(new double[] {3, -4}, new double[] {-12});
        assertEquals(19, GradClip.clipGradNorm(ps, 100, 1), 1e-12);
        ps = withGrads(new double[] {3, -4}, new double[] {-12});
        assertEquals(Math.cbrt(27 + 64 + 1728), GradClip.clipGradNorm(ps, 100, 3), 1e-9);
        assertEquals(0, GradClip.clipGradNorm(List.of(Tensor.zeros(2).requiresGrad(true)), 1));
    }

    @Test
    void nonFiniteNorm() {
        List<Tensor> ps = withGrads(new double[] {Double.NaN, 1});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(ps, 1, 2, true));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(Double.isNaN(GradClip.clipGradNorm(ps, 1)));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, -1));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(ps, 1, 0));
    }

    @Test
    void clipsValues() {
        List<Tensor> ps = withGrads(new double[] {-3, 0.5, 7});
        GradClip.clipGradValue(ps, 1);
        assertArrayEquals(new double[] {-1, 0.5, 1}, Function.array(ps.get(0).grad()).toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(ps, -1));
    }
}
