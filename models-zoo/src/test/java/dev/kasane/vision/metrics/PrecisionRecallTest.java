package dev.kasane.vision.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Precision and recall of generative models: known cases and NumPy's reference (gen_gan_metric_fixtures.py). */
class PrecisionRecallTest {
    private static Tensor points(double... x) {
        return Tensor.fromHost(x, DType.F64, Device.CPU, x.length, 1);
    }

    @Test
    void identicalSetsGiveOneAndFarApartSetsGiveZero() {
        Tensor real = Tensor.normal(new Generator(4), 0, 1, DType.F32, Device.CPU, 600, 8);   // more than one block
        PrecisionRecall.Result same = PrecisionRecall.of(real, real);
        assertEquals(1, same.precision(), 0);
        assertEquals(1, same.recall(), 0);
        PrecisionRecall.Result far = PrecisionRecall.of(real, real.add(1000));
        assertEquals(0, far.precision(), 0);
        assertEquals(0, far.recall(), 0);
    }

    @Test
    void handCheckedCaseOnALine() {
        // real 0..4: with k = 1 every radius is 1. fake 0.2, 0.7, 10, 10.5: radii 0.5 each (their nearest other fake).
        // precision: 0.2 and 0.7 lie within 1 of a real point, 10 and 10.5 do not: 2/4.
        // recall: real 0 (0.2 away from 0.2) and 1 (0.3 away from 0.7) lie within 0.5 of a fake point, 2, 3, 4 do not: 2/5.
        PrecisionRecall.Result r = PrecisionRecall.of(points(0, 1, 2, 3, 4), points(0.2, 0.7, 10, 10.5), 1);
        assertEquals(0.5, r.precision(), 0);
        assertEquals(0.4, r.recall(), 0);
        // k = 3: real radii 3, 2, 2, 2, 3 (10 is 6 from 4: still outside); fake radii 10.3, 9.8, 9.8, 10.3 cover 0..4
        PrecisionRecall.Result k3 = PrecisionRecall.of(points(0, 1, 2, 3, 4), points(0.2, 0.7, 10, 10.5), 3);
        assertEquals(0.5, k3.precision(), 0);
        assertEquals(1, k3.recall(), 0);
    }

    @Test
    void matchesTheNumpyReference() throws IOException {
        Map<String, Tensor> f = Fixtures.load("gan_metrics.safetensors");
        PrecisionRecall.Result k3 = PrecisionRecall.of(f.get("pr.real"), f.get("pr.fake"));
        assertEquals(f.get("pr.precision").item(), k3.precision(), 0, "fractions of 60 generated points");
        assertEquals(f.get("pr.recall").item(), k3.recall(), 0, "fractions of 80 real points");
        PrecisionRecall.Result k5 = PrecisionRecall.of(f.get("pr.real"), f.get("pr.fake"), 5);
        assertEquals(f.get("pr.precision_k5").item(), k5.precision(), 0);
        assertEquals(f.get("pr.recall_k5").item(), k5.recall(), 0);
        assertTrue(k3.precision() > 0 && k3.precision() < 1 && k3.recall() > 0 && k3.recall() < 1, "a case between the extremes");
    }

    @Test
    void rejectsTooFewPointsMismatchedSizesAndNaN() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecall.of(Tensor.randn(3, 2), Tensor.randn(10, 2)));
        assertTrue(few.getMessage().startsWith("PrecisionRecall.of: expected floating features [N, D] and [M, D] with N, M > k >= 1")
                && few.getMessage().contains("k = 3"), few.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.of(Tensor.randn(10, 2), Tensor.randn(10, 3)));
        Tensor nan = Tensor.randn(5, 2).div(Tensor.zeros(5, 2));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.of(nan, Tensor.randn(5, 2)));
        assertTrue(bad.getMessage().contains("real features") && bad.getMessage().contains("NaN"), bad.getMessage());
    }
}
