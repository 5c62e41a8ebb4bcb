package dev.kasane.autograd;

import static dev.kasane.autograd.TestTensors.f64;
import static dev.kasane.autograd.TestTensors.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The backward engine: graph walking, accumulation, freeing, grad mode, hooks, in-place checks, errors. */
class EngineTest {
    @AfterEach
    void resetModes() {
        Autograd.setGradEnabled(true);
        Autograd.detectAnomaly(false);
    }

    private static void assertClose(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-12);
    }

    /** Asserts that {@code call} throws {@code type} with a message that contains every one of {@code parts}. */
    private static <E extends Throwable> E assertThrowsMentioning(Class<E> type, Executable call, String... parts) {
        E e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void simpleBackward() {
        Tensor x = f64(1, 2, 3);
        Tensor y = x.mul(x).add(x.mul(2)).sum(); // sum(x^2 + 2x): grad 2x + 2
        y.backward();
        assertClose(new double[] {4, 6, 8}, x.grad());
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        assertEquals("Sum", y.gradFn().name());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = f64(1, 2);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertClose(new double[] {6, 6}, x.grad());
        x.setGrad(null);
        x.square().sum().backward();
        assertClose(new double[] {2, 4}, x.grad());
    }

    @Test
    void broadcastGradientIsSummedToInputShape() {
        Tensor a = randn(3, 4);
        Tensor b = randn(4);
        a.add(b).sum().backward();
        assertArrayEquals(new int[] {4}, b.grad().shape());
        assertClose(new double[] {3, 3, 3, 3}, b.grad());
    }

    @Test
    void transposedWeightGetsItsGradientInItsOwnLayout() {
        // linear's x @ w^T: dW = g^T x, computed as such (PyTorch's mm backward for a column-major operand), so that
        // w.grad is a contiguous [out, in] without a transposing copy
        Tensor x = randn(5, 4);
        Tensor w = randn(3, 4);
        Tensor g = randn(5, 3);
        Tensor[] d = Autograd.grad(List.of(x.matmul(w.t())), List.of(x, w), List.of(g), false, false, false);
        assertTrue(d[1].data().isContiguous(), "dW contiguous as computed, before any accumulation copy");
        assertArrayEquals(g.data().t().matmul(x.data()).toDoubleArray(), d[1].toDoubleArray(), 1e-12);
        assertArrayEquals(g.data().matmul(w.data()).toDoubleArray(), d[0].toDoubleArray(), 1e-12);
    }

    @Test
    void gradOfSharedGradientIsNotAliased() {
        // add's backward hands the same gradient to both inputs: in-place accumulation must not leak across leaves
        Tensor a = f64(1, 1);
        Tensor b = f64(2, 2);
        a.add(b).sum().backward();
        a.grad().data().binaryInPlace(BinaryOp.MUL, 10);
        assertClose(new double[] {1, 1}, b.grad());
        a.add(b).sum().backward();
        assertClose(new double[] {2, 2}, b.grad());
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(new double[] {1.0}).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0);
        }
        y.sum().backward();
        assertClose(new double[] {1.0}, x.grad());
    }

    @Test
    void secondBackwardThroughFreedGraphThrows() {
        Tensor x = f64(1, 2);
        Tensor y = x.exp().sum();
        y.backward();
        assertThrowsMentioning(IllegalStateException.class, y::backward, "second time", "Exp", "retainGraph");
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = f64(1, 2);
        Tensor y = x.exp().sum();
        y.backward(null, true, false);
        y.backward();
        assertClose(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad());
    }

    @Test
    void autogradGradDoesNotTouchDotGrad() {
        Tensor x = f64(1, 2, 3);
        Tensor w = f64(0.5, 0.5, 0.5);
        Tensor y = x.mul(w).sum();
        Tensor[] g = Autograd.grad(List.of(y), List.of(x), null, false, false, false);
        assertClose(new double[] {0.5, 0.5, 0.5}, g[0]);
        assertNull(x.grad());
        assertNull(w.grad());
    }

    @Test
    void autogradGradOfANonLeafInput() {
        Tensor x = f64(1, 2);
        Tensor h = x.mul(3);
        Tensor y = h.square().sum();
        Tensor[] g = Autograd.grad(List.of(y), List.of(h, x), null, false, false, false);
        assertClose(new double[] {6, 12}, g[0]);
        assertClose(new double[] {18, 36}, g[1]);
    }

    @Test
    void autogradGradLeavesBranchesOutsideItsTargetsUnrun() {
        Tensor x = f64(1, 2);
        Tensor w = f64(0, 1);
        Tensor h = x.mul(2).retainGrad();
        Tensor y = h.add(w.exp()).sum();
        Tensor[] g = Autograd.grad(y, x);
        assertClose(new double[] {2, 2}, g[0]);
        assertNull(h.grad(), "Autograd.grad must not fill retained gradients");
        // exp's node was pruned, so its saved output survives the freeing run; Add, Sum and MulScalar save nothing
        y.backward();
        assertClose(new double[] {1, Math.E}, w.grad());
        assertClose(new double[] {2, 2}, x.grad());
        assertClose(new double[] {1, 1}, h.grad());
    }

    @Test
    void autogradGradOfALeafOutputWithRespectToItself() {
        Tensor x = f64(3);
        Tensor[] g = Autograd.grad(List.of(x), List.of(x), null, false, false, false);
        assertClose(new double[] {1}, g[0]);
        assertNull(x.grad());
    }

    @Test
    void autogradGradUnusedInputs() {
        Tensor x = f64(1, 2);
        Tensor unused = f64(3);
        Tensor y = x.sum();
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, true, false, false), "allowUnused");
        Tensor[] g = Autograd.grad(List.of(y), List.of(x, unused), null, false, false, true);
        assertClose(new double[] {1, 1}, g[0]);
        assertNull(g[1]);
    }

    @Test
    void autogradGradWithGradOutputs() {
        Tensor x = f64(1, 2, 3);
        Tensor y = x.square();
        Tensor[] g = Autograd.grad(List.of(y), List.of(x), List.of(Tensor.of(new double[] {1, 0, -1})), false, false, false);
        assertClose(new double[] {2, 0, -6}, g[0]);
    }

    @Test
    void noGradIsThreadLocalAndScoped() throws InterruptedException {
        Tensor x = f64(1, 2);
        try (var g = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = Autograd.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0], "grad mode is per thread");
            try (var e = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        Autograd.setGradEnabled(false);
        assertFalse(x.exp().requiresGrad());
        Autograd.setGradEnabled(true);
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void nonDifferentiableOpsDoNotRequireGrad() {
        Tensor x = randn(3, 4);
        assertFalse(x.gt(0).requiresGrad());
        assertFalse(x.eq(x).requiresGrad());
        assertFalse(x.argmax(1, false).requiresGrad());
        assertFalse(x.argmax().requiresGrad());
        assertFalse(x.sign().requiresGrad());
        assertFalse(x.floor().requiresGrad());
        assertFalse(x.toType(DType.I64).requiresGrad());
        assertFalse(Tensor.randint(0, 5, 3).requiresGrad());
        assertFalse(x.detach().requiresGrad());
        assertSame(x.data(), x.detach().data());
    }

    @Test
    void requiresGradRules() {
        Tensor i = Tensor.of(new long[] {1, 2});
        assertThrowsMentioning(IllegalArgumentException.class, () -> i.requiresGrad(true), "float");
        Tensor y = f64(1).mul(2);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertSame(y, y.requiresGrad(true));
    }

    @Test
    void retainGradOnNonLeaf() {
        Tensor x = f64(1, 2);
        Tensor h = x.mul(3).retainGrad();
        Tensor hidden = x.mul(4);
        h.add(hidden).square().sum().backward();
        assertClose(new double[] {14, 28}, h.grad());
        assertNull(hidden.grad());
    }

    @Test
    void hooksOnLeafAndNonLeaf() {
        Tensor x = f64(1, 2);
        Tensor h = x.mul(3);
        AtomicInteger calls = new AtomicInteger();
        HookHandle handle = h.registerHook(g -> {
            calls.incrementAndGet();
            return g.mul(2);
        });
        x.registerHook(g -> g.add(1));
        h.sum().backward(null, true, false);
        assertEquals(1, calls.get());
        assertClose(new double[] {7, 7}, x.grad()); // (1 * 2) * 3 + 1
        handle.remove();
        x.setGrad(null);
        h.sum().backward();
        assertClose(new double[] {4, 4}, x.grad());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).registerHook(g -> g));
    }

    @Test
    void hooksMustReturnAGradientOfTheSameShapeDtypeAndDevice() {
        Tensor x = f64(1, 2);
        x.registerHook(g -> g.toType(DType.I64));
        assertThrowsMentioning(IllegalStateException.class, () -> x.mul(3).sum().backward(), "hook", "leaf tensor",
                "[2] I64", "different dtype", "[2] F64");
        assertNull(x.grad(), "the refused gradient must not become .grad");
        Tensor y = f64(1, 2);
        Tensor h = y.mul(3);
        h.registerHook(g -> g.toType(DType.BOOL));
        assertThrowsMentioning(IllegalStateException.class, () -> h.sum().backward(), "hook", "[2] BOOL", "dtype");
        Tensor z = f64(1, 2);
        z.registerHook(g -> g.reshape(2, 1));
        assertThrowsMentioning(IllegalStateException.class, () -> z.sum().backward(), "hook", "[2, 1] F64", "shape");
    }

    @Test
    void setGradRefusesAnotherShapeOrDtype() {
        Tensor x = f64(1, 2);
        assertThrowsMentioning(IllegalArgumentException.class, () -> x.setGrad(Tensor.of(new boolean[] {true, false})),
                "setGrad", "[2] BOOL", "different dtype", "[2] F64");
        assertThrowsMentioning(IllegalArgumentException.class, () -> x.setGrad(Tensor.of(new long[] {1, 2})),
                "setGrad", "[2] I64", "dtype");
        assertThrowsMentioning(IllegalArgumentException.class, () -> x.setGrad(Tensor.of(new float[] {1, 2})),
                "setGrad", "[2] F32", "dtype");
        assertThrowsMentioning(IllegalArgumentException.class, () -> x.setGrad(f64(1, 2, 3)), "setGrad", "[3] F64", "shape");
        assertNull(x.grad());
        Tensor g = f64(5, 6);
        x.setGrad(g);
        assertSame(g, x.grad());
    }

    @Test
    void viewsPastTheElementLimitAreRefusedBeforeBackward() {
        // expand(65536, 65536) used to give a view whose numel() was 0, and a zero gradient through its sum
        Tensor x = Tensor.ones(1, 1).requiresGrad(true);
        assertThrowsMentioning(IllegalArgumentException.class, () -> x.expand(65536, 65536), "expand", "[65536, 65536]",
                "4294967296 elements");
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536), "zeros", "[65536, 65536]");
        Tensor y = x.expand(1 << 12, 1 << 12);
        y.sum().backward();
        assertEquals(1 << 24, x.grad().item(), 0.0, "the gradient of a sum of 2^24 broadcast ones (exact in F32)");
    }

    @Test
    void hooksSeeTheSummedGradientOnce() {
        Tensor x = f64(1);
        List<Double> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.item());
            return null;
        });
        x.mul(2).add(x.mul(3)).sum().backward();
        assertEquals(List.of(5.0), seen);
    }

    @Test
    void inPlaceModificationOfSavedTensorIsDetected() {
        Tensor x = f64(1, 2);
        Tensor c = Tensor.of(new double[] {3, 4});
        Tensor y = x.mul(c).sum();
        c.mulInPlace(2);
        assertThrowsMentioning(IllegalStateException.class, y::backward, "Mul", "modified", "version");
    }

    @Test
    void inPlaceOnSavedOutputIsDetected() {
        Tensor x = f64(1, 2);
        Tensor y = x.exp();
        Tensor z = y.mul(2);
        y.addInPlace(1); // exp saved its output
        assertThrowsMentioning(IllegalStateException.class, () -> z.sum().backward(), "Exp");
    }

    @Test
    void inPlaceOnLeafRequiringGradThrowsOutsideNoGrad() {
        Tensor w = f64(1, 2);
        assertThrowsMentioning(IllegalStateException.class, () -> w.addInPlace(1), "leaf", "noGrad");
        try (var g = Autograd.noGrad()) {
            w.subInPlace(Tensor.of(new double[] {0.5, 0.5}));
        }
        assertClose(new double[] {0.5, 1.5}, w);
        assertTrue(w.requiresGrad());
        assertTrue(w.isLeaf());
    }

    @Test
    void inPlaceOnNonLeafIsRecorded() {
        Tensor x = f64(1, 2);
        Tensor y = x.mul(2);
        y.mulInPlace(x); // y = 2x * x
        y.sum().backward();
        assertClose(new double[] {4, 8}, x.grad());
        assertClose(new double[] {2, 8}, y);
    }

    @Test
    void anomalyDetectionNamesTheForwardOp() {
        Autograd.detectAnomaly(true);
        Tensor x = f64(0, 1);
        Tensor y = x.sqrt().mul(0).sum(); // sqrt'(0) * 0 = inf * 0 = NaN in Sqrt's backward
        IllegalStateException e = assertThrowsMentioning(IllegalStateException.class, y::backward, "Sqrt", "NaN");
        assertNotNull(e.getCause());
        Autograd.detectAnomaly(false);
        Tensor x2 = f64(0, 1);
        x2.sqrt().mul(0).sum().backward(); // no check when off
        assertTrue(Double.isNaN(x2.grad().toDoubleArray()[0]));
    }

    @Test
    void badBackwardCalls() {
        Tensor x = randn(2, 3);
        Tensor y = x.mul(2);
        assertThrowsMentioning(IllegalArgumentException.class, y::backward, "backward", "[2, 3]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(1).backward(), "does not require grad");
        assertThrowsMentioning(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(DType.F64, 3, 2)), "[3, 2]", "[2, 3]");
        y.backward(Tensor.ones(DType.F64, 2, 3));
        assertClose(new double[] {2, 2, 2, 2, 2, 2}, x.grad());
    }

    @Test
    void opErrorsNameTheOpAndShapes() {
        Tensor a = randn(2, 3);
        Tensor b = randn(4, 5);
        assertThrowsMentioning(IllegalArgumentException.class, () -> a.matmul(b), "matmul", "[2, 3]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> a.add(b), "add");
        assertThrows(IllegalArgumentException.class, () -> a.sumTo(4));
    }

    @Test
    void multipleOutputsBackward() {
        Tensor x = f64(1, 2);
        Tensor a = x.mul(2).sum();
        Tensor b = x.square().sum();
        Autograd.backward(List.of(a, b), null, false, false);
        assertClose(new double[] {4, 6}, x.grad());
    }

    @Test
    void maxRulesMatchPyTorch() {
        // whole-tensor max and amax: ties share the gradient evenly; max(dim): the first maximal index only
        Tensor x = f64(1, 3, 3, 2);
        x.max().backward();
        assertClose(new double[] {0, 0.5, 0.5, 0}, x.grad());
        Tensor y = Tensor.of(new double[] {3, 1, 3, 2, 5, 5}, 2, 3).requiresGrad(true);
        y.max(1, false).sum().backward();
        assertClose(new double[] {1, 0, 0, 0, 1, 0}, y.grad());
        Tensor z = Tensor.of(new double[] {3, 1, 3, 2, 5, 5}, 2, 3).requiresGrad(true);
        z.amax(new int[] {1}, false).sum().backward();
        assertClose(new double[] {0.5, 0, 0.5, 0, 0.5, 0.5}, z.grad());
    }

    @Test
    void kinksMatchPyTorch() {
        Tensor x = f64(0, 0, 0);
        x.abs().sum().backward();
        assertClose(new double[] {0, 0, 0}, x.grad());
        Tensor r = f64(0, 1);
        r.relu().sum().backward();
        assertClose(new double[] {0, 1}, r.grad());
        Tensor c = f64(-1, 0, 1, 2);
        c.clamp(0, 1).sum().backward();
        assertClose(new double[] {0, 1, 1, 0}, c.grad());
        Tensor s = f64(0);
        s.sqrt().sum().backward();
        assertEquals(Double.POSITIVE_INFINITY, s.grad().item());
        Tensor a = f64(1, 2);
        Tensor b = f64(1, 1);
        a.maximum(b).sum().backward();
        assertClose(new double[] {0.5, 1}, a.grad());
        assertClose(new double[] {0.5, 0}, b.grad());
        Tensor base = f64(0, 2);
        Tensor ex = f64(0, 0);
        base.pow(ex).sum().backward();
        assertClose(new double[] {0, 0}, base.grad());
        assertClose(new double[] {0, Math.log(2)}, ex.grad());
    }

    @Test
    void toStringShowsGradState() {
        Tensor x = f64(1, 2);
        assertTrue(x.toString().contains("requiresGrad=true"), x.toString());
        assertTrue(x.mul(2).toString().contains("gradFn=MulScalar"), x.mul(2).toString());
        assertFalse(Tensor.zeros(2).toString().contains("grad"));
    }

    @Test
    void itemShapeDtypeDevice() {
        Tensor x = Tensor.of(NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), true);
        assertArrayEquals(new int[] {2, 3}, x.shape());
        assertEquals(DType.F64, x.dtype());
        assertEquals(21.0, x.sum().item());
        assertSame(x, x.to(x.device()));
        assertSame(x, x.toType(DType.F64));
    }

    @Test
    void createGraphProducesDifferentiableGrad() {
        Tensor x = f64(2);
        Tensor y = x.pow(3).sum();
        y.backward(null, true, true);
        Tensor g = x.grad(); // 3x^2 = 12, with a graph
        assertTrue(g.requiresGrad());
        assertClose(new double[] {12}, g);
        Tensor[] gg = Autograd.grad(List.of(g.sum()), List.of(x), null, false, false, false);
        assertClose(new double[] {12}, gg[0]); // 6x
    }
}
