package dev.kasane.amp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.optim.SGD;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link GradScaler}: the scale sequence of PyTorch's GradScaler, skipped steps, unscaling, state and misuse. */
class GradScalerTest {
    /** A parameter whose gradient is set by hand, and an SGD optimizer over it (lr 0.5). */
    private static final class Setup {
        final Tensor p = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        final SGD opt = new SGD(List.of(p), 0.5);

        void grad(float... g) {
            p.setGrad(Tensor.of(g));
        }
    }

    /**
     * gradscaler.txt (gen_amp_fixtures.py): for each case, the scale and growth tracker after each update() given
     * whether that iteration's gradients held an infinity. Exact: tolerance 0 on the F32 scale.
     */
    @Test
    void theScaleSequenceMatchesPyTorchs() throws Exception {
        List<String> lines = Files.readAllLines(HalfSafetensorsTest.resource("gradscaler.txt"));
        int cases = 0;
        for (int i = 0; i < lines.size(); ) {
            String[] c = lines.get(i++).split(" ");
            assertEquals("case", c[0]);
            GradScaler scaler = new GradScaler(Double.parseDouble(c[1]), Double.parseDouble(c[2]), Double.parseDouble(c[3]),
                    Integer.parseInt(c[4]), true);
            Setup s = new Setup();
            for (char flag : c[5].toCharArray()) {
                String[] want = lines.get(i++).split(" ");
                assertEquals(String.valueOf(flag), want[0]);
                float before = (float) scaler.getScale();
                s.grad(flag == '1' ? Float.POSITIVE_INFINITY : before, 0, -before);
                float[] p0 = s.p.toFloatArray();
                boolean stepped = scaler.step(s.opt);
                assertEquals(flag == '0', stepped);
                if (flag == '0') {
                    assertArrayEquals(new float[] {p0[0] - 0.5f, p0[1], p0[2] + 0.5f}, s.p.toFloatArray(), 0f,
                            "stepped with the unscaled gradient (1, 0, -1)");
                } else {
                    assertArrayEquals(p0, s.p.toFloatArray(), 0f, "a skipped step leaves the parameter alone");
                }
                scaler.update();
                assertEquals(Float.parseFloat(want[1]), (float) scaler.getScale(), 0f, "case " + cases + " line " + i);
                assertEquals(Integer.parseInt(want[2]), scaler.getGrowthTracker(), "case " + cases + " line " + i);
            }
            cases++;
        }
        assertEquals(3, cases);
    }

    @Test
    void aForcedOverflowSkipsTheStepAndHalvesTheScale() {
        Setup s = new Setup();
        GradScaler scaler = new GradScaler();
        Tensor loss = s.p.mul(s.p).sum().mul(1e34f); // finite; times 65536 it overflows F32, and so do the gradients
        assertTrue(Double.isFinite(loss.item()));
        Tensor scaled = scaler.scale(loss);
        assertEquals(Double.POSITIVE_INFINITY, scaled.item(), 0.0);
        scaled.backward();
        scaler.unscale(s.opt);
        assertFalse(scaler.step(s.opt), "the gradient holds an infinity");
        assertArrayEquals(new float[] {1, 2, 3}, s.p.toFloatArray(), 0f);
        scaler.update();
        assertEquals(32768.0, scaler.getScale(), 0.0);
        assertEquals(0, scaler.getGrowthTracker());
        s.grad(Float.NaN, 0, 0);
        assertFalse(scaler.step(s.opt), "NaN too");
        scaler.update();
        assertEquals(16384.0, scaler.getScale(), 0.0);
    }

    @Test
    void unscaleDividesGradientsInPlaceOnce() {
        Setup s = new Setup();
        GradScaler scaler = new GradScaler(1024, 2, 0.5, 2000, true);
        s.grad(1024, -512, 3);
        Tensor g = s.p.grad();
        scaler.unscale(s.opt);
        assertSame(g, s.p.grad());
        assertArrayEquals(new float[] {1, -0.5f, 3f / 1024}, g.toFloatArray(), 0f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scaler.unscale(s.opt));
        assertTrue(e.getMessage().contains("already unscaled"), e.getMessage());
        assertTrue(scaler.step(s.opt), "step after unscale does not unscale again");
        assertArrayEquals(new float[] {0.5f, 2.25f, 3 - 1.5f / 1024}, s.p.toFloatArray(), 0f);
        e = assertThrows(IllegalStateException.class, () -> scaler.step(s.opt));
        assertTrue(e.getMessage().contains("already stepped"), e.getMessage());
        scaler.update();
        e = assertThrows(IllegalStateException.class, scaler::update);
        assertTrue(e.getMessage().contains("no inf checks"), e.getMessage());
    }

    @Test
    void aDisabledScalerPassesThrough() {
        Setup s = new Setup();
        GradScaler off = new GradScaler(65536, 2, 0.5, 2000, false);
        Tensor loss = s.p.sum();
        assertSame(loss, off.scale(loss));
        s.grad(Float.POSITIVE_INFINITY, 0, 0);
        assertTrue(off.step(s.opt));
        off.update();
        assertEquals(1.0, off.getScale(), 0.0);
        assertTrue(off.stateDict().isEmpty());
    }

    @Test
    void stateDictRoundTripsAndIsValidated() {
        GradScaler a = new GradScaler(8, 2, 0.5, 3, true);
        Setup s = new Setup();
        s.grad(8, 8, 8);
        a.step(s.opt);
        a.update();
        Map<String, String> sd = a.stateDict();
        assertEquals(Map.of("scale", "8.0", "growth_factor", "2.0", "backoff_factor", "0.5", "growth_interval", "3",
                "_growth_tracker", "1"), sd);
        GradScaler b = new GradScaler(8, 2, 0.5, 3, true);
        b.update(100);
        b.loadStateDict(sd);
        assertEquals(8.0, b.getScale(), 0.0);
        assertEquals(1, b.getGrowthTracker());
        GradScaler other = new GradScaler(8, 2, 0.5, 4, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(sd));
        assertTrue(e.getMessage().contains("growth_interval 3, this scaler 4"), e.getMessage());
        assertEquals(8.0, other.getScale(), 0.0, "left as it was");
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(Map.of("scale", "1")));
        assertTrue(e.getMessage().contains("lacks one of the keys"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GradScaler(0, 2, 0.5, 1, true));
        assertTrue(e.getMessage().contains("initScale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.scale(Tensor.of(new long[] {1})));
        assertEquals("GradScaler.scale: the loss must be F32 or F64, got I64 on cpu", e.getMessage());
    }
}
