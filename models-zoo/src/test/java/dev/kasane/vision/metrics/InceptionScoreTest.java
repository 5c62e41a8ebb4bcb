package dev.kasane.vision.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.vision.Fixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Inception Score's formula: hand-computed cases, its bounds, and NumPy's reference (gen_gan_metric_fixtures.py). */
class InceptionScoreTest {
    private static Tensor rows(int classes, double... p) {
        return Tensor.fromHost(p, DType.F64, Device.CPU, p.length / classes, classes);
    }

    @Test
    void handComputedCases() {
        // one split: marginal (0.75, 0.25); KL of (0.5, 0.5) is 0.5 ln(4/3), KL of (1, 0) is ln(4/3): exp(0.75 ln(4/3))
        InceptionScore.Result one = InceptionScore.of(rows(2, 0.5, 0.5, 1, 0), 1);
        assertEquals(Math.pow(4.0 / 3, 0.75), one.mean(), 1e-12);
        assertEquals(0, one.std(), 0);
        // two splits of consecutive rows: {(1, 0), (0, 1)} scores 2, {(0.5, 0.5), (0.5, 0.5)} scores 1: mean 1.5, std 0.5
        InceptionScore.Result two = InceptionScore.of(rows(2, 1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5), 2);
        assertEquals(1.5, two.mean(), 1e-12);
        assertEquals(0.5, two.std(), 1e-12, "population standard deviation (np.std)");
    }

    @Test
    void uniformPredictionsGiveOneAndConfidentDiversePredictionsGiveTheClassCount() {
        InceptionScore.Result uniform = InceptionScore.of(Tensor.full(0.1, 50, 10));
        assertEquals(1, uniform.mean(), 1e-6, "F32 rows of 0.1");
        assertEquals(0, uniform.std(), 1e-6);
        // 100 one-hot rows, classes 0..9 in turn: each of the 10 splits holds every class once
        Tensor oneHot = Tensor.eye(10).repeat(10, 1);
        InceptionScore.Result diverse = InceptionScore.of(oneHot);
        assertEquals(10, diverse.mean(), 1e-9);
        assertEquals(0, diverse.std(), 1e-9);
        // one-hot but all the same class: no diversity, score 1
        assertEquals(1, InceptionScore.of(oneHot.narrow(0, 0, 1).repeat(30, 1)).mean(), 1e-12);
    }

    @Test
    void matchesTheNumpyReference() throws IOException {
        Map<String, Tensor> f = Fixtures.load("gan_metrics.safetensors");
        InceptionScore.Result s = InceptionScore.of(f.get("is.p"));   // 103 rows: splits of 10 and 11 rows
        assertEquals(f.get("is.mean").item(), s.mean(), 1e-12);
        assertEquals(f.get("is.std").item(), s.std(), 1e-12);
    }

    @Test
    void rejectsLogitsAndTooManySplits() {
        IllegalArgumentException logits = assertThrows(IllegalArgumentException.class,
                () -> InceptionScore.of(rows(2, 0.3, 0.3, 0.5, 0.5), 1));
        assertTrue(logits.getMessage().contains("row 0 of the probabilities") && logits.getMessage().contains("not 1"),
                logits.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> InceptionScore.of(rows(2, -0.5, 1.5), 1));
        assertTrue(negative.getMessage().contains("outside [0, 1]"), negative.getMessage());
        IllegalArgumentException splits = assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(Tensor.full(0.5, 4, 2)));
        assertTrue(splits.getMessage().startsWith("InceptionScore.of: expected floating probabilities [N, C] with N >= splits >= 1")
                && splits.getMessage().contains("10 splits"), splits.getMessage());
    }
}
