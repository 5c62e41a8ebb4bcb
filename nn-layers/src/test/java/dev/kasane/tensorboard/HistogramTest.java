package dev.kasane.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Histogram against numpy 1.24's {@code numpy.histogram} (values in the comments) and PyTorch's trimming. */
class HistogramTest {
    @Test
    void valuesOnRoundedEdgesFallInNumpysBins() {
        // numpy.histogram([i / 10 for i in range(11)], bins=10) = [1, 1, 2, 0, 1, 2, 1, 0, 1, 2]: 0.3 lies below the
        // edge 0.30000000000000004, so a plain floor((v - min) / width) (giving bin 3) would differ
        double[] v = new double[11];
        for (int i = 0; i < 11; i++) {
            v[i] = i / 10.0;
        }
        Histogram h = Histogram.of(v, 10);
        assertArrayEquals(new double[] {0, 1, 1, 2, 0, 1, 2, 1, 0, 1, 2}, h.bucketCounts(), 0);
        assertArrayEquals(new double[] {0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001,
            0.7000000000000001, 0.8, 0.9, 1.0}, h.bucketLimits(), 0);
        assertEquals(0, h.min(), 0);
        assertEquals(1, h.max(), 0);
        assertEquals(11, h.count(), 0);
        assertEquals(5.5, h.sum(), 1e-12);
        assertEquals(3.85, h.sumSquares(), 1e-12);
    }

    @Test
    void emptyBinsAtTheEndsAreDroppedAndAnEmptyBinLeadsAsInPyTorch() {
        // constant input: numpy's range 1.5 .. 2.5 in 3 bins, only the middle one filled
        Histogram h = Histogram.of(new double[] {2, 2}, 3);
        assertArrayEquals(new double[] {0, 2}, h.bucketCounts(), 0);
        assertArrayEquals(new double[] {1.8333333333333333, 2.1666666666666665}, h.bucketLimits(), 0);
        assertEquals(2, h.min(), 0);
        assertEquals(2, h.max(), 0);
    }

    @Test
    void oneBin() {
        Histogram h = Histogram.of(new double[] {-3, 1, 5}, 1);
        assertArrayEquals(new double[] {0, 3}, h.bucketCounts(), 0);
        assertArrayEquals(new double[] {-3, 5}, h.bucketLimits(), 0);
    }
}
