package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.BatchNorm;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inference-mode batch normalization, {@link BatchNorm#scaleShift}: the CPU kernel (contiguous F32) and the composite
 * it declines to (strided input, F64) both equal {@code x.mul(scale).add(shift)} bit for bit (tolerance 0), special
 * values included; bad per-channel shapes fail naming the op and the shapes.
 */
class ScaleShiftTest {
    private static NDArray composite(NDArray x, NDArray scale, NDArray shift) {
        int[] cs = BatchNorm.channelShape(x);
        return x.binary(BinaryOp.MUL, scale.reshape(cs)).binary(BinaryOp.ADD, shift.reshape(cs));
    }

    private static NDArray withSpecials(Random r, DType t, int... shape) {
        NDArray a = ConvTest.random(r, DType.F64, shape);
        double[] v = a.toDoubleArray();
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1e38, -1e-45};
        for (int i = 0; i < specials.length; i++) {
            v[(i * 7919) % v.length] = specials[i];
        }
        return NDArray.fromHost(v, DType.F64, Device.CPU, shape).toType(t);
    }

    @Test
    void equalsTheProductThenTheSumExactly() {
        Random r = new Random(3);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : new int[][] {{2, 5, 7, 9}, {1, 64, 112, 112}, {3, 4}, {2, 3, 5}}) {
                NDArray x = withSpecials(r, t, shape);
                NDArray scale = ConvTest.random(r, t, shape[1]);
                NDArray shift = ConvTest.random(r, t, shape[1]);
                assertArrayEquals(composite(x, scale, shift).toDoubleArray(), BatchNorm.scaleShift(x, scale, shift)
                        .toDoubleArray(), 0.0, t + " " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void aStridedInputGoesThroughTheComposite() {
        Random r = new Random(4);
        NDArray x = withSpecials(r, DType.F32, 6, 4, 5, 3).permute(0, 1, 3, 2); // not contiguous
        NDArray scale = ConvTest.random(r, DType.F32, 4);
        NDArray shift = ConvTest.random(r, DType.F32, 4);
        assertArrayEquals(composite(x, scale, shift).toFloatArray(), BatchNorm.scaleShift(x, scale, shift).toFloatArray(), 0f);
    }

    /**
     * {@link BatchNorm#scaleShiftInPlace}: over x's own memory, with and without a residual and the ReLU, the values of
     * the composite (then {@code + residual}, then {@code max(v, 0)}, the ReLU kernel) bit for bit, for the CPU kernel
     * (contiguous F32, also at an offset) and the composite it declines to (F64, a strided view); x's version counter
     * moves; a broadcast view and a residual of another shape are refused.
     */
    @Test
    void inPlaceWithResidualAndReluEqualsTheCompositeExactly() {
        Random r = new Random(5);
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            for (int variant = 0; variant < 4; variant++) {
                boolean relu = (variant & 1) != 0;
                boolean withResidual = (variant & 2) != 0;
                NDArray whole = withSpecials(r, t, 3, 2, 5, 7, 9);
                NDArray[] inputs = {whole.select(0, 1), withSpecials(r, t, 2, 4, 5, 3).permute(0, 1, 3, 2)};
                for (NDArray x : inputs) {
                    NDArray scale = ConvTest.random(r, t, x.size(1));
                    NDArray shift = ConvTest.random(r, t, x.size(1));
                    NDArray residual = withResidual ? withSpecials(r, t, x.shape()) : null;
                    NDArray expected = composite(x, scale, shift);
                    if (withResidual) {
                        expected = expected.binary(BinaryOp.ADD, residual);
                    }
                    if (relu) {
                        expected = expected.unary(dev.kasane.tensor.spi.UnaryOp.RELU);
                    }
                    int version = x.version();
                    NDArray y = BatchNorm.scaleShiftInPlace(x, scale, shift, residual, relu);
                    assertTrue(y == x && x.version() > version, "written over x, version bumped");
                    assertArrayEquals(expected.toDoubleArray(), x.toDoubleArray(), 0.0, t + " relu " + relu
                            + " residual " + withResidual + " " + x.describe());
                }
            }
        }
        NDArray broadcast = NDArray.zeros(DType.F32, Device.CPU, 1, 3, 1, 1).expand(2, 3, 4, 4);
        NDArray c = NDArray.zeros(DType.F32, Device.CPU, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.scaleShiftInPlace(broadcast, c, c, null, true));
        assertTrue(e.getMessage().contains("batchNormScaleShiftInPlace"), e.getMessage());
        NDArray x = NDArray.zeros(DType.F32, Device.CPU, 2, 3, 4, 4);
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.scaleShiftInPlace(x, c, c, NDArray.zeros(DType.F32, Device.CPU, 2, 3, 4, 5), true));
        assertTrue(e.getMessage().contains("residual") && e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
    }

    @Test
    void badPerChannelShapesNameTheOpAndShapes() {
        NDArray x = NDArray.zeros(DType.F32, Device.CPU, 2, 3, 4, 4);
        NDArray good = NDArray.zeros(DType.F32, Device.CPU, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.scaleShift(x, NDArray.zeros(DType.F32, Device.CPU, 4), good));
        assertTrue(e.getMessage().contains("batchNormScaleShift") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorm.scaleShift(x, good, NDArray.zeros(DType.F64, Device.CPU, 3)));
        assertTrue(e.getMessage().contains("batchNormScaleShift") && e.getMessage().contains("F64"), e.getMessage());
    }
}
