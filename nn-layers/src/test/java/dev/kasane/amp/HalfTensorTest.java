package dev.kasane.amp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.tensor.DType;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * BF16 and F16 tensors at the user level: conversions and data movement work, every op that computes refuses them,
 * including the ops written above the array primitives (sorting, softmax, logsumexp), which used to truncate BF16 keys
 * to integers (sort) or promote silently to F32 (softmax).
 */
class HalfTensorTest {
    @Test
    void opsAboveThePrimitivesRefuseHalvesToo() {
        for (DType t : new DType[] {DType.BF16, DType.F16}) {
            Tensor h = Tensor.of(new float[] {0.75f, 0.25f, 0.5f}).toType(t);
            List<Function<Tensor, Object>> ops = List.of(x -> x.argsort(0, false), x -> x.sort(0, true),
                    x -> x.topk(1, 0, true), x -> x.softmax(0), x -> x.logSoftmax(0), x -> x.logSumExp(0, false),
                    x -> x.add(x), x -> x.relu(), x -> x.sum(), x -> F.linear(x.reshape(1, 3), x.reshape(1, 3), null));
            for (int i = 0; i < ops.size(); i++) {
                int k = i;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ops.get(k).apply(h),
                        t + " op #" + i);
                assertTrue(e.getMessage().contains(t + " is a storage dtype") && e.getMessage().contains(t + " cpu"),
                        e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.requiresGrad(true));
            assertTrue(e.getMessage().contains("F32, F64"), e.getMessage());
        }
    }

    @Test
    void conversionsAndDataMovementWork() {
        Tensor f = Tensor.of(new float[] {1.5f, -2f, 3.25f, 4f}, 2, 2).requiresGrad(true);
        Tensor h = f.toType(DType.BF16);
        assertEquals(DType.BF16, h.dtype());
        assertFalse(h.requiresGrad(), "a 16-bit tensor carries no gradient (use Autocast for differentiable rounding)");
        assertArrayEquals(new float[] {1.5f, 3.25f, -2f, 4f}, h.t().contiguous().toFloatArray(), 0f);
        assertArrayEquals(new float[] {-2f, 4f}, h.select(1, 1).clone().toFloatArray(), 0f);
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 4f, 1.5f, -2f}, Tensor.cat(List.of(h, h.narrow(0, 0, 1)), 0)
                .toFloatArray(), 0f);
        assertEquals(-2.0, h.get(0, 1), 0.0);
        assertTrue(h.toString().contains("dtype=BF16"), h.toString());
        assertArrayEquals(f.toFloatArray(), h.toType(DType.F32).toFloatArray(), 0f);
    }
}
