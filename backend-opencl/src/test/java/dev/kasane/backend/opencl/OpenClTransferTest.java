package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

@RequiresOpenCl
class OpenClTransferTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    @Test
    void uploadAndDownloadAreTheOnlyTransfers() {
        long t0 = OpenClBackend.transferCount(D);
        NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(D);
        assertEquals(t0 + 1, OpenClBackend.transferCount(D), "one upload");
        NDArray b = NDArray.of(new float[] {1, 1, 1}, 1, 3).to(D);
        NDArray idx = NDArray.of(new long[] {2, 0}, 2, 1).to(D);
        NDArray h = a.zerosLike(); // a device-side fill: no transfer
        long t1 = OpenClBackend.transferCount(D);
        long checks = OpenClBackend.indexCheckCount(D);

        NDArray c = a.binary(BinaryOp.ADD, b).binary(BinaryOp.MUL, a).unary(UnaryOp.EXP).unary(UnaryOp.LOG);
        NDArray d = c.matmul(c.t()).unary(UnaryOp.RELU);
        NDArray e = d.reduce(ReduceOp.SUM, new int[] {1}, true).binary(BinaryOp.SUB, d.reduce(ReduceOp.MAX, new int[] {0}, true));
        NDArray f = NDArray.where(a.binary(BinaryOp.GT, b), a, b.expand(2, 3)).flip(1).contiguous().toType(DType.F64).toType(DType.F32);
        NDArray g = a.gather(1, idx);
        h.scatterAddInPlace(1, idx, g);
        NDArray arg = f.reduce(ReduceOp.ARGMAX, 1, false);
        assertEquals(t1, OpenClBackend.transferCount(D), "a chain of device ops moves no data");
        assertEquals(checks + 2, OpenClBackend.indexCheckCount(D), "gather and scatterAdd each check their indices");

        assertArrayEquals(new float[] {3, 4}, g.toFloatArray());
        assertEquals(t1 + 1, OpenClBackend.transferCount(D), "a download is one transfer");
        assertArrayEquals(new float[] {2, 6, 12, 20, 30, 42}, c.toFloatArray(), 1e-4f);
        assertArrayEquals(new long[] {0, 0}, arg.toLongArray());
        assertEquals(2, e.dim());
        assertArrayEquals(new float[] {0, 0, 3, 4, 0, 0}, h.toFloatArray());
    }

    @Test
    void scalarOperandsAndFillsDoNoTransfers() {
        NDArray x = NDArray.of(new float[] {-1, 0, 0.25f, 0.5f, 2, 3}, 2, 3).to(D);
        NDArray big = NDArray.of(new long[] {0, 0, 0}, 3).to(D);
        long t0 = OpenClBackend.transferCount(D);

        NDArray y = x.binary(BinaryOp.MUL, 2.0).binary(BinaryOp.ADD, 1).clamp(0, 1);
        NDArray z = NDArray.zeros(DType.F32, D, 4, 5);
        NDArray o = NDArray.full(7, DType.I32, D, 3);
        NDArray s = NDArray.scalar(2.5, DType.F64, D);
        NDArray strided = NDArray.zeros(DType.F32, D, 4, 6).narrow(1, 1, 3).transpose(0, 1);
        strided.fillInPlace(-3);
        z.fillInPlace(1.5);
        NDArray e = big.binary(BinaryOp.ADD, (1L << 53) + 1).binary(BinaryOp.MUL, 1);
        NDArray m = x.binary(BinaryOp.GT, 0.3).binary(BinaryOp.AND, x.binary(BinaryOp.LT, 2.5));
        assertEquals(t0, OpenClBackend.transferCount(D), "scalar operands and fills are kernel arguments, not uploads");

        assertArrayEquals(new float[] {0, 1, 1, 1, 1, 1}, y.toFloatArray());
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, 1.5f}, z.select(0, 3).toFloatArray());
        assertArrayEquals(new int[] {7, 7, 7}, o.toIntArray());
        assertEquals(2.5, s.item(), 0);
        assertArrayEquals(new float[] {-3, -3, -3, -3}, strided.select(0, 2).toFloatArray());
        long want = (1L << 53) + 1;
        assertArrayEquals(new long[] {want, want, want}, e.toLongArray(), "I64 scalars stay exact past 2^53");
        assertArrayEquals(new boolean[] {false, false, false, true, true, false}, m.toBooleanArray());
    }

    @Test
    void fillConvertsLikeTheCpu() {
        double[] vals = {-2.7, 300.9, Double.NaN, 0.5, -1, 1e30};
        for (DType t : new DType[] {DType.F32, DType.I32, DType.I64, DType.U8, DType.BOOL}) {
            for (double v : vals) {
                NDArray cpu = NDArray.full(v, t, Device.CPU, 5);
                NDArray dev = NDArray.zeros(t, D, 2, 5).select(0, 1);
                dev.fillInPlace(v);
                NDArray strided = NDArray.zeros(t, D, 10).slice(0, 0, 10, 2);
                strided.fillInPlace(v);
                assertEquals(cpu.toString(), dev.to(Device.CPU).toString(), "fill(" + v + ") as " + t);
                assertEquals(cpu.toString(), strided.to(Device.CPU).toString(), "strided fill(" + v + ") as " + t);
            }
        }
    }
}
