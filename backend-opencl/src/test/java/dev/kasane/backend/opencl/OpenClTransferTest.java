package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenClTransferTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    @BeforeAll
    static void opencl() {
        OpenClTestSupport.requireOpenCl();
    }

    @Test
    void uploadAndDownloadAreTheOnlyTransfers() {
        long t0 = OpenClBackend.transferCount(D);
        NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(D);
        assertEquals(t0 + 1, OpenClBackend.transferCount(D), "one upload");
        NDArray b = NDArray.of(new float[] {1, 1, 1}, 1, 3).to(D);
        NDArray idx = NDArray.of(new long[] {2, 0}, 2, 1).to(D);
        NDArray h = a.zerosLike(); // fills from an uploaded scalar: one transfer, before the chain
        long t1 = OpenClBackend.transferCount(D);
        long checks = OpenClBackend.indexCheckCount(D);

        NDArray c = a.add(b).mul(a).exp().log();
        NDArray d = c.matmul(c.t()).relu();
        NDArray e = d.sum(new int[] {1}, true).sub(d.amax(new int[] {0}, true));
        NDArray f = NDArray.where(a.gt(b), a, b.expand(2, 3)).flip(1).contiguous().toType(DType.F64).toType(DType.F32);
        NDArray g = a.gather(1, idx);
        h.scatterAddInPlace(1, idx, g);
        NDArray arg = f.argmax(1, false);
        assertEquals(t1, OpenClBackend.transferCount(D), "a chain of device ops moves no data");
        assertEquals(checks + 2, OpenClBackend.indexCheckCount(D), "gather and scatterAdd each check their indices");

        assertArrayEquals(new float[] {3, 4}, g.toFloatArray());
        assertEquals(t1 + 1, OpenClBackend.transferCount(D), "a download is one transfer");
        assertArrayEquals(new float[] {2, 6, 12, 20, 30, 42}, c.toFloatArray(), 1e-4f);
        assertArrayEquals(new long[] {0, 0}, arg.toLongArray());
        assertEquals(2, e.dim());
        assertArrayEquals(new float[] {0, 0, 3, 4, 0, 0}, h.toFloatArray());
    }
}
