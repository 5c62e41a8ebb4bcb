package dev.kasane.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.functional.F;
import dev.kasane.nn.functional.Padding;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.PadMode;
import org.junit.jupiter.api.Test;

/** conv2d's bias, fused into the convolution op: the same values and gradients as a separate add, and its checks. */
class ConvBiasTest {
    private static final int[] ONE = {1};

    private static Tensor conv(Tensor x, Tensor w, Tensor b) {
        return F.conv2d(x, w, b, ONE, Padding.of(1), ONE, 1, PadMode.CONSTANT);
    }

    @Test
    void fusedBiasEqualsASeparateAddExactly() {
        Generator.seedGlobal(5);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.randn(2, 3, 6, 5).toType(t).requiresGrad(true);
            Tensor w = Tensor.randn(4, 3, 3, 3).toType(t).requiresGrad(true);
            Tensor b = Tensor.randn(4).toType(t).requiresGrad(true);
            Tensor g = Tensor.randn(2, 4, 6, 5).toType(t);
            Tensor fused = conv(x, w, b);
            fused.backward(g);
            double[] dxFused = x.grad().toDoubleArray();
            double[] dwFused = w.grad().toDoubleArray();
            double[] dbFused = b.grad().toDoubleArray();
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
            Tensor separate = conv(x, w, null).add(b.view(1, 4, 1, 1));
            separate.backward(g);
            String what = "conv2d with bias, " + t;
            assertArrayEquals(separate.toDoubleArray(), fused.toDoubleArray(), 0.0, what);
            assertArrayEquals(x.grad().toDoubleArray(), dxFused, 0.0, what + " dx");
            assertArrayEquals(w.grad().toDoubleArray(), dwFused, 0.0, what + " dw");
            assertArrayEquals(b.grad().toDoubleArray(), dbFused, 0.0, what + " db");
        }
    }

    @Test
    void badBiasShapeIsReportedOnTheFusedPath() {
        Tensor x = Tensor.randn(1, 3, 5, 5);
        Tensor w = Tensor.randn(4, 3, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv(x, w, Tensor.randn(3)));
        assertEquals("conv2d: bias must have shape [4], got [3]", e.getMessage());
    }
}
