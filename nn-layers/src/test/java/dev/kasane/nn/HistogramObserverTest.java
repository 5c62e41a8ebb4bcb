package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.quantization.HistogramObserver;
import dev.kasane.nn.quantization.MinMaxObserver;
import dev.kasane.nn.quantization.QParams;
import dev.kasane.nn.quantization.QScheme;
import dev.kasane.nn.quantization.QuantDtype;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HistogramObserver against PyTorch 1.13's (fixtures of src/test/python/gen_histogram_observer_fixtures.py: its
 * observer with the int(min) / int(max) cast of torch.histc removed, and the unmodified one where that cast is exact).
 * The range, the 2048 counts, the scale and the zero point must agree exactly (tolerance 0): every step is the same
 * float32 or double computation in PyTorch's order, except the two sums of the error and the total count, which
 * Kasane takes in double (PyTorch in float32); this changes no fixture's result.
 */
class HistogramObserverTest {
    private static HistogramObserver replay(String name, QuantDtype dtype, QScheme scheme) {
        Map<String, Tensor> f = Fixtures.load(name);
        HistogramObserver o = new HistogramObserver(dtype, scheme);
        for (int i = 0; f.containsKey("batch" + i); i++) {
            o.observe(f.get("batch" + i));
        }
        assertArrayEquals(f.get("min").toFloatArray(), o.min(), name + " min");
        assertArrayEquals(f.get("max").toFloatArray(), o.max(), name + " max");
        assertArrayEquals(f.get("histogram").toFloatArray(), o.histogram(), name + " histogram");
        QParams p = o.qparams();
        assertArrayEquals(f.get("scale").toFloatArray(), p.scale(), name + " scale");
        assertArrayEquals(f.get("zero_point").toIntArray(), p.zeroPoint(), name + " zero point");
        return o;
    }

    @Test
    void oneBatchWithOutliersMatchesPyTorch() {
        replay("hist_one_batch", QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
    }

    @Test
    void growingRangeResamplesTheHistogramAsPyTorchDoes() {
        replay("hist_growing", QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        replay("hist_stock_integer_ends", QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
    }

    @Test
    void symmetricAndConstantBatchesMatchPyTorch() {
        replay("hist_symmetric", QuantDtype.QINT8, QScheme.PER_TENSOR_SYMMETRIC);
        replay("hist_constant_first", QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
    }

    @Test
    void heavyTailsMatchPyTorchWithinTheMinMaxRange() {
        HistogramObserver histogram = replay("hist_heavy_tails", QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        MinMaxObserver minMax = new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        minMax.observe(Fixtures.load("hist_heavy_tails").get("batch0"));
        float searched = histogram.qparams().scaleAt(0);
        float full = minMax.qparams().scaleAt(0);
        assertTrue(searched <= full, "the search only narrows the range: " + searched + " vs min-max " + full);
    }

    @Test
    void perChannelSchemesAndEarlyQueriesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HistogramObserver(QuantDtype.QINT8, QScheme.PER_CHANNEL_SYMMETRIC));
        assertTrue(e.getMessage().contains("HistogramObserver") && e.getMessage().contains("PER_CHANNEL"), e.getMessage());
        HistogramObserver o = new HistogramObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE);
        assertThrows(IllegalStateException.class, o::qparams);
        o.observe(Tensor.zeros(0));
        assertEquals(false, o.hasObserved(), "an empty tensor is skipped");
    }
}
