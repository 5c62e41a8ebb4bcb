package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.PercentileObserver;
import dev.kasane.nn.quantization.QParams;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The percentile observer against exact percentiles of the values it saw (within one histogram bin). */
class PercentileObserverTest {
    @Test
    void percentilesAreExactToOneBinAcrossBatchesThatWidenTheRange() {
        Random rnd = new Random(9);
        float[] all = new float[30000];
        PercentileObserver o = new PercentileObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 1, 99);
        for (int batch = 0; batch < 3; batch++) {
            float[] v = new float[10000];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * (batch + 1));
            }
            System.arraycopy(v, 0, all, batch * v.length, v.length);
            o.observe(Tensor.of(v, v.length));
        }
        Arrays.sort(all);
        float binWidth = (all[all.length - 1] - all[0]) / PercentileObserver.BINS;
        // each re-binning may move a count by up to one old bin width: allow two bins
        assertEquals(all[(int) (0.01 * all.length)], o.percentile(1), 2 * binWidth);
        assertEquals(all[(int) (0.99 * all.length)], o.percentile(99), 2 * binWidth);
        assertEquals(all[all.length / 2], o.percentile(50), 2 * binWidth);
    }

    @Test
    void outliersDoNotStretchTheScale() {
        float[] v = new float[10001];
        for (int i = 0; i < 10000; i++) {
            v[i] = i / 10000f;
        }
        v[10000] = 1000;
        PercentileObserver p = new PercentileObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 0, 99.9);
        MinMaxObserver m = new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        p.observe(Tensor.of(v, v.length));
        m.observe(Tensor.of(v, v.length));
        QParams clipped = p.qparams();
        assertEquals(1.0 / 255, clipped.scaleAt(0), 0.5 / 255, "scale of the clipped range [0, ~1]");
        assertEquals(1000.0 / 255, m.qparams().scaleAt(0), 1e-3, "min-max keeps the outlier");
        assertThrows(IllegalArgumentException.class,
                () -> new PercentileObserver(QuantDtype.QUINT8, QScheme.PER_CHANNEL_AFFINE, 1, 99));
        assertThrows(IllegalArgumentException.class,
                () -> new PercentileObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE, 50, 40));
    }
}
