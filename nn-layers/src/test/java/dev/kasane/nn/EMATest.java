package dev.kasane.nn;

import static dev.kasane.nn.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** EMA: the shadow starts as a copy, follows {@code decay * shadow + (1 - decay) * source}, copies buffers. */
class EMATest {
    private static Sequential net() {
        return new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    }

    @Test
    void averagesParametersAndCopiesBuffers() {
        Sequential src = net();
        EMA ema = new EMA(src, net(), 0.9);
        Tensor w0 = src.namedParameters().get("0.weight").detach().clone();
        assertClose("shadow weight after construction", w0, ema.shadow().namedParameters().get("0.weight"), 0);
        assertFalse(ema.shadow().namedParameters().get("0.weight").requiresGrad(), "shadow parameters do not require grad");

        src.namedParameters().get("0.weight").detach().addInPlace(1.0);
        src.forward(Tensor.randn(4, 3)); // training forward: updates the running statistics
        ema.update();
        assertClose("shadow weight after one update: 0.9 w0 + 0.1 (w0 + 1)", w0.add(0.1),
                ema.shadow().namedParameters().get("0.weight"), 1e-6);
        assertClose("running mean copied", src.namedBuffers().get("1.running_mean"),
                ema.shadow().namedBuffers().get("1.running_mean"), 0);
        assertEquals(1, ema.shadow().namedBuffers().get("1.num_batches_tracked").itemLong(), "integer buffer copied");

        Sequential target = net();
        ema.copyTo(target);
        assertClose("copyTo", ema.shadow().namedParameters().get("0.weight"), target.namedParameters().get("0.weight"), 0);
    }

    @Test
    void rejectsBadDecayTheSourceAsShadowAndAnotherArchitecture() {
        Sequential src = net();
        assertThrows(IllegalArgumentException.class, () -> new EMA(src, net(), 1.5));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> new EMA(src, src, 0.9));
        assertTrue(same.getMessage().contains("got the source itself"), same.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> new EMA(src, new Linear(3, 2), 0.9));
        assertTrue(other.getMessage().contains("missing keys"), other.getMessage());
    }
}
