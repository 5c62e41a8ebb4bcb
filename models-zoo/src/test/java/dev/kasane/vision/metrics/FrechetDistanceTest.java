package dev.kasane.vision.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Fréchet distance against pytorch-fid's SciPy computation (gen_fid_fixtures.py) and known values. */
class FrechetDistanceTest {
    @Test
    void matchesScipySqrtmBasedValues() throws IOException {
        Map<String, Tensor> f = Fixtures.load("fid.safetensors");
        for (String name : new String[] {"full", "shift", "singular"}) {
            Tensor a = f.get(name + ".a");
            Tensor b = f.get(name + ".b");
            double expected = f.get(name + ".fid").item();
            double trace = FrechetDistance.traceOfSqrtProduct(FrechetDistance.fit(a).covariance(), FrechetDistance.fit(b).covariance());
            // relative tolerance 1e-9, 1e-7 for singular covariances: SciPy's Schur-based sqrtm of a singular product
            // loses digits on the square roots of its near-zero eigenvalues
            double tol = name.equals("singular") ? 1e-7 : 1e-9;
            assertEquals(f.get(name + ".tr_sqrt").item(), trace, tol * f.get(name + ".tr_sqrt").item(), name + " tr sqrt(S1 S2)");
            assertEquals(expected, FrechetDistance.of(a, b), tol * (1 + expected), name + " distance");
        }
    }

    @Test
    void eigendecompositionReconstructsAndSquareRootSquaresBack() {
        Generator g = new Generator(5);
        Tensor x = Tensor.normal(g, 0, 1, DType.F64, dev.kasane.tensor.Device.CPU, 40, 30);
        Tensor s = x.t().matmul(x).div(39);
        Tensor root = FrechetDistance.sqrtPsd(s);
        double residual = root.matmul(root).sub(s).square().sum().sqrt().item() / s.square().sum().sqrt().item();
        assertTrue(residual < 1e-12, "relative residual ||R R - S|| / ||S|| = " + residual);
        double[] v = FrechetDistance.fit(x).covariance().sub(s).abs().max().toDoubleArray();
        assertTrue(v[0] > 0, "fit centres the features (the uncentred product differs)");
    }

    @Test
    void identicalSetsGiveZeroAndAShiftGivesItsSquaredNorm() {
        Tensor a = Tensor.normal(new Generator(3), 0, 1, DType.F64, dev.kasane.tensor.Device.CPU, 50, 6);
        assertEquals(0, FrechetDistance.of(a, a), 1e-9, "distance of a set to itself");
        assertEquals(6 * 0.25, FrechetDistance.of(a, a.add(0.5)), 1e-9, "a shift by 0.5 in 6 dims: 6 * 0.25");
    }

    @Test
    void badFeaturesAreRejectedWithTheirShape() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.fit(Tensor.randn(1, 4)));
        assertTrue(one.getMessage().startsWith("FrechetDistance.fit: expected floating features [N, D] with N >= 2"), one.getMessage());
        Tensor nan = Tensor.randn(3, 2).div(Tensor.zeros(3, 2));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.fit(nan));
        assertTrue(bad.getMessage().contains("contain NaN or infinite values"), bad.getMessage());
        IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.of(Tensor.randn(5, 3), Tensor.randn(5, 4)));
        assertTrue(dims.getMessage().contains("feature sizes differ: 3 and 4"), dims.getMessage());
    }

    @Test
    void featuresRunsTheExtractorInBatches() {
        Tensor images = Tensor.arange(10).toType(DType.F32).reshape(5, 2);
        int[] calls = {0};
        Tensor f = FrechetDistance.features(x -> {
            calls[0]++;
            return x.mul(2);
        }, images, 2);
        assertEquals(3, calls[0], "5 images in batches of 2");
        assertEquals(DType.F64, f.dtype());
        assertEquals(18.0, f.get(4, 1), 0);
    }
}
