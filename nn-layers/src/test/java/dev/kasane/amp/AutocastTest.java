package dev.kasane.amp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.GradCheck;
import dev.kasane.autograd.Tensor;
import dev.kasane.io.Safetensors;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Autocast}: the scope's rules, the arithmetic it promises (exactly), gradients, and parity with PyTorch. */
class AutocastTest {
    private static Tensor rounded(Tensor t, DType low) {
        return t.detach().toType(low).toType(DType.F32);
    }

    @Test
    void scopesAreThreadLocalNestableAndCanDisable() throws Exception {
        assertNull(Autocast.activeDtype());
        try (Autocast outer = Autocast.bf16()) {
            assertEquals(DType.BF16, Autocast.activeDtype());
            try (Autocast inner = Autocast.open(DType.F16, true)) {
                assertEquals(DType.F16, Autocast.activeDtype());
                try (Autocast off = Autocast.open(DType.BF16, false)) {
                    assertNull(Autocast.activeDtype());
                }
                assertEquals(DType.F16, Autocast.activeDtype());
            }
            AtomicReference<DType> seen = new AtomicReference<>(DType.F64);
            Thread t = new Thread(() -> seen.set(Autocast.activeDtype()));
            t.start();
            t.join();
            assertNull(seen.get(), "another thread is not in the scope");
            Autocast dangling = Autocast.bf16();
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
            assertTrue(e.getMessage().contains("innermost first"), e.getMessage());
            dangling.close();
        }
        assertNull(Autocast.activeDtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autocast.open(DType.F32, true));
        assertEquals("Autocast: the low-precision dtype must be BF16 or F16, got F32", e.getMessage());
    }

    @Test
    void linearAndConvRoundTheirOperandsAndAccumulateInF32() {
        Tensor x = Tensor.randn(4, 7);
        Tensor w = Tensor.randn(3, 7);
        Tensor b = Tensor.randn(3);
        Tensor img = Tensor.randn(2, 3, 6, 6);
        Tensor k = Tensor.randn(4, 3, 3, 3);
        Tensor kb = Tensor.randn(4);
        Tensor kt = Tensor.randn(3, 2, 3, 3);
        for (DType low : new DType[] {DType.BF16, DType.F16}) {
            Tensor lin;
            Tensor conv;
            Tensor convT;
            try (Autocast ignored = Autocast.open(low, true)) {
                lin = F.linear(x, w, b);
                conv = F.conv2d(img, k, kb, 1, 1);
                convT = F.convTranspose2d(img, kt, null, 2, 1);
            }
            assertEquals(DType.F32, lin.dtype(), "the result is F32");
            // tolerance 0: the same F32 kernels on the rounded values
            assertArrayEquals(F.linear(rounded(x, low), rounded(w, low), b).toFloatArray(), lin.toFloatArray(), 0f);
            assertArrayEquals(F.conv2d(rounded(img, low), rounded(k, low), rounded(kb, low), 1, 1).toFloatArray(),
                    conv.toFloatArray(), 0f);
            assertArrayEquals(F.convTranspose2d(rounded(img, low), rounded(kt, low), null, 2, 1).toFloatArray(),
                    convT.toFloatArray(), 0f);
            assertTrue(lin.sub(F.linear(x, w, b)).abs().max().item() > 0, "rounding changed something");
        }
        Tensor d = Tensor.randn(4, 7).toType(DType.F64);
        Tensor dw = Tensor.randn(3, 7).toType(DType.F64);
        try (Autocast ignored = Autocast.bf16()) {
            assertArrayEquals(F.linear(d, dw, null).toDoubleArray(), d.matmul(dw.t()).toDoubleArray(), 0.0,
                    "F64 is never cast");
            assertTrue(GradCheck.check(in -> F.linear(in[0], in[1], null), d.requiresGrad(true), dw.requiresGrad(true)),
                    "F64 linear keeps exact gradients inside a scope");
        }
    }

    @Test
    void weightsStoredIn16BitsAreOperandsInsideAScope() {
        Tensor x = Tensor.randn(4, 7);
        Tensor w = Tensor.randn(3, 7);
        Tensor img = Tensor.randn(1, 2, 5, 5);
        Tensor k = Tensor.randn(3, 2, 3, 3);
        for (DType stored : new DType[] {DType.BF16, DType.F16}) {
            for (DType low : new DType[] {DType.BF16, DType.F16}) {
                Tensor lin;
                Tensor conv;
                try (Autocast ignored = Autocast.open(low, true)) {
                    lin = F.linear(x, w.toType(stored), null);
                    conv = F.conv2d(img, k.toType(stored), null, 1, 0);
                }
                // tolerance 0: the stored values widened exactly, then rounded to the scope's dtype (a no-op if the same)
                Tensor wl = rounded(w.toType(stored).toType(DType.F32), low);
                Tensor kl = rounded(k.toType(stored).toType(DType.F32), low);
                assertArrayEquals(F.linear(rounded(x, low), wl, null).toFloatArray(), lin.toFloatArray(), 0f);
                assertArrayEquals(F.conv2d(rounded(img, low), kl, null, 1, 0).toFloatArray(), conv.toFloatArray(), 0f);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.linear(x, w.toType(DType.BF16), null));
        assertTrue(e.getMessage().contains("inside a dev.kasane.amp.Autocast scope"), e.getMessage());
    }

    @Test
    void theGradientReachingARoundedOperandIsRoundedToo() {
        Tensor x = Tensor.randn(5, 6).requiresGrad(true);
        Tensor w = Tensor.randn(4, 6).requiresGrad(true);
        Tensor g = Tensor.randn(5, 4);
        try (Autocast ignored = Autocast.bf16()) {
            F.linear(x, w, null).mul(g).sum().backward();
        }
        // d/dW = g^T x_r in F32, then rounded to BF16 as PyTorch's cast backward does; tolerance 0
        Tensor wantW = rounded(g.t().matmul(rounded(x, DType.BF16)), DType.BF16);
        Tensor wantX = rounded(g.matmul(rounded(w, DType.BF16)), DType.BF16);
        assertArrayEquals(wantW.toFloatArray(), w.grad().toFloatArray(), 0f);
        assertArrayEquals(wantX.toFloatArray(), x.grad().toFloatArray(), 0f);
        assertEquals(DType.F32, w.grad().dtype());
    }

    @Test
    void matmulAndBmmRoundTheirOperandsAndBackwardRunsWithAutocastOff() {
        Tensor a = Tensor.randn(5, 6);
        Tensor b = Tensor.randn(6, 4);
        Tensor ba = Tensor.randn(2, 5, 6);
        Tensor bb = Tensor.randn(2, 6, 4);
        Tensor g = Tensor.randn(5, 4);
        Tensor plain = a.matmul(b);
        Tensor[][] grads = new Tensor[2][];
        for (int inside = 0; inside < 2; inside++) {
            Tensor x = a.detach().requiresGrad(true);
            Tensor y = b.detach().requiresGrad(true);
            Tensor loss;
            try (Autocast ignored = Autocast.bf16()) {
                Tensor p = x.matmul(y);
                // tolerance 0: the same F32 product of the rounded operands
                assertArrayEquals(rounded(a, DType.BF16).matmul(rounded(b, DType.BF16)).toFloatArray(), p.toFloatArray(), 0f);
                assertArrayEquals(rounded(ba, DType.BF16).bmm(rounded(bb, DType.BF16)).toFloatArray(),
                        ba.bmm(bb).toFloatArray(), 0f);
                loss = p.mul(g).sum();
                if (inside == 1) {
                    loss.backward();
                }
            }
            if (inside == 0) {
                loss.backward();
            }
            grads[inside] = new Tensor[] {x.grad(), y.grad()};
        }
        assertTrue(!java.util.Arrays.equals(plain.toFloatArray(), rounded(a, DType.BF16).matmul(rounded(b, DType.BF16))
                .toFloatArray()), "rounding changes this product");
        Tensor wantX = rounded(g.matmul(rounded(b, DType.BF16).t()), DType.BF16);
        for (Tensor[] gr : grads) {
            assertArrayEquals(wantX.toFloatArray(), gr[0].toFloatArray(), 0f);
        }
        assertArrayEquals(grads[0][1].toFloatArray(), grads[1][1].toFloatArray(), 0f);
    }

    @Test
    void f16GradientsUnderflowWithoutLossScaling() {
        Tensor x = Tensor.randn(8, 16);
        Tensor w = Tensor.randn(2, 16).requiresGrad(true);
        try (Autocast ignored = Autocast.open(DType.F16, true)) {
            F.linear(x, w, null).sum().mul(1e-9).backward();
        }
        assertEquals(0.0, w.grad().abs().max().item(), 0.0, "1e-9-sized gradients are below F16's 2^-24");
        w.setGrad(null);
        GradScaler scaler = new GradScaler();
        try (Autocast ignored = Autocast.open(DType.F16, true)) {
            scaler.scale(F.linear(x, w, null).sum().mul(1e-9)).backward();
        }
        Tensor unscaled = w.grad().div(scaler.getScale());
        Tensor exact = x.sum(new int[] {0}, false).mul(1e-9).unsqueeze(0).expand(2, 16);
        assertTrue(unscaled.sub(exact).abs().max().item() <= 1e-3 * exact.abs().max().item(),
                "scaled by 65536 they survive to within F16's relative precision 2^-11 (tolerance 1e-3 relative)");
    }

    /**
     * The Conv2d -> ReLU -> Linear net of gen_amp_fixtures.py, forward and backward, against
     * {@code torch.autocast("cpu", dtype=torch.bfloat16)}. PyTorch rounds each lower-precision op's output to BF16 and
     * computes the backward of the BF16 ops on BF16 gradients; Kasane keeps F32 outputs and gradients until they reach
     * a rounded operand. Both see the same rounded operands, so they agree to a few BF16 roundings: tolerance 2^-6 of
     * each tensor's largest magnitude (BF16's relative precision is 2^-8; measured: at most 0.0070 of it, on the conv
     * weight's gradient), while the F32 net's output misses PyTorch's by more than autocast's does.
     */
    @Test
    void matchesPyTorchsCpuAutocastForwardAndBackward() throws Exception {
        Map<String, Tensor> f = Safetensors.load(HalfSafetensorsTest.resource("autocast_bf16.safetensors"));
        String[] params = {"conv.weight", "conv.bias", "fc.weight", "fc.bias"};
        for (String p : params) {
            f.get(p).requiresGrad(true);
        }
        Tensor y;
        Tensor loss;
        try (Autocast ignored = Autocast.bf16()) {
            y = net(f);
            loss = F.mseLoss(y, f.get("target"));
        }
        loss.backward();
        double err = close("y", f.get("y"), y);
        close("loss", f.get("loss"), loss.reshape(1));
        for (String p : params) {
            close(p + ".grad", f.get(p + ".grad"), f.get(p).grad());
        }
        double f32Err = net(f).sub(f.get("y")).abs().max().item();
        assertTrue(f32Err > err, "the F32 net misses PyTorch's BF16 output by more (" + f32Err + ") than autocast (" + err + ")");
    }

    private static Tensor net(Map<String, Tensor> f) {
        Tensor h = F.relu(F.conv2d(f.get("x"), f.get("conv.weight"), f.get("conv.bias"), 1, 1));
        return F.linear(h.flatten(1, -1), f.get("fc.weight"), f.get("fc.bias"));
    }

    private static double close(String what, Tensor want, Tensor got) {
        double scale = want.abs().max().item();
        double err = got.sub(want).abs().max().item();
        assertTrue(err <= scale / 64, what + ": error " + err + " above 2^-6 of " + scale);
        return err;
    }
}
