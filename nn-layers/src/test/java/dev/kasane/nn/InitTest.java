package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.Generator;
import org.junit.jupiter.api.Test;

/** Default initialisation (PyTorch's distributions) and the {@link Init} functions. */
class InitTest {
    private static double[] stats(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / v.length), min, max};
    }

    @Test
    void linearAndConvDefaultsMatchPyTorchBounds() {
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        double[] w = stats(l.weight());
        assertTrue(w[2] >= -bound && w[3] <= bound && w[3] > 0.95 * bound, "U(-1/sqrt(in), 1/sqrt(in))");
        assertEquals(bound / Math.sqrt(3), w[1], 0.02 * bound);
        double[] b = stats(l.bias());
        assertTrue(b[2] >= -bound && b[3] <= bound);
        Conv2d c = new Conv2d(16, 32, 3);
        double cb = 1 / Math.sqrt(16 * 9);
        double[] cw = stats(c.weight());
        assertTrue(cw[2] >= -cb && cw[3] <= cb && cw[3] > 0.95 * cb);
        ConvTranspose2d t = new ConvTranspose2d(64, 16, 4, 2, 1);
        double tb = 1 / Math.sqrt(16 * 16); // PyTorch's fan-in of a transposed weight is dim 1 times the kernel
        double[] tw = stats(t.weight());
        assertTrue(tw[2] >= -tb && tw[3] <= tb && tw[3] > 0.95 * tb);
    }

    @Test
    void normalizationAndEmbeddingDefaults() {
        BatchNorm2d bn = new BatchNorm2d(5);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, bn.stateDict().get("weight").toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, bn.stateDict().get("bias").toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, bn.stateDict().get("running_var").toDoubleArray());
        double[] e = stats(new Embedding(200, 100).weight());
        assertEquals(0, e[0], 0.02);
        assertEquals(1, e[1], 0.02);
        Embedding padded = new Embedding(5, 3, 4);
        assertArrayEquals(new double[] {0, 0, 0}, padded.weight().select(0, 4).toDoubleArray());
    }

    @Test
    void globalSeedMakesModelsReproducible() {
        Generator.seedGlobal(123);
        float[] a = new Linear(10, 10).weight().toFloatArray();
        Generator.seedGlobal(123);
        float[] b = new Linear(10, 10).weight().toFloatArray();
        assertArrayEquals(a, b);
        float[] c = new Linear(10, 10).weight().toFloatArray();
        assertTrue(a[0] != c[0]);
    }

    @Test
    void initFunctions() {
        Tensor t = Tensor.zeros(300, 200).requiresGrad(true);
        double[] s = stats(Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, new Generator(1)));
        assertEquals(Math.sqrt(2.0 / 300), s[1], 0.02 * Math.sqrt(2.0 / 300));
        s = stats(Init.kaimingUniform(t, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, new Generator(1)));
        assertTrue(s[3] <= Math.sqrt(6.0 / 200) && s[3] > 0.95 * Math.sqrt(6.0 / 200));
        s = stats(Init.xavierUniform(t, 2, new Generator(2)));
        assertTrue(s[3] <= 2 * Math.sqrt(6.0 / 500) && s[3] > 0.95 * 2 * Math.sqrt(6.0 / 500));
        s = stats(Init.xavierNormal(t, 1, new Generator(2)));
        assertEquals(Math.sqrt(2.0 / 500), s[1], 0.03 * Math.sqrt(2.0 / 500));
        s = stats(Init.normal(t, 3, 0.5, new Generator(3)));
        assertEquals(3, s[0], 0.01);
        assertEquals(0.5, s[1], 0.01);
        s = stats(Init.uniform(t, -2, -1, new Generator(3)));
        assertTrue(s[2] >= -2 && s[3] < -1);
        assertEquals(4.0, stats(Init.constant(t, 4))[0]);
        assertEquals(1.0, stats(Init.ones(t))[0]);
        assertEquals(0.0, stats(Init.zeros(t))[3]);
        assertEquals(5.0 / 3, Init.calculateGain(Init.Nonlinearity.TANH, 0), 1e-12);
        assertEquals(Math.sqrt(2 / 1.04), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, 0.2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(Tensor.zeros(5), 1));
    }

    @Test
    void orthogonalGivesOrthonormalRowsOrColumns() {
        for (int[] shape : new int[][] {{6, 4}, {3, 2, 2, 2}}) {
            Tensor t = Init.orthogonal(Tensor.zeros(shape).requiresGrad(true), 1.5, new Generator(7));
            Tensor m = t.reshape(shape[0], -1);
            Tensor gram = m.size(0) >= m.size(1) ? m.t().matmul(m) : m.matmul(m.t());
            Tensor expected = Tensor.eye(gram.size(0)).mul(2.25);
            assertTrue(gram.allClose(expected, 1e-4, 1e-4), gram.toString());
        }
    }
}
