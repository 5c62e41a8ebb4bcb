package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@RequiresOpenCl
class OpenClMemoryTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    @Test
    void explicitCloseFreesAtOnce() {
        long before = OpenClBackend.memoryInUse(D);
        NDArray a = NDArray.zeros(DType.F32, D, 1000);
        OpenClStorage s = (OpenClStorage) a.storage();
        assertEquals(4000, s.bytes());
        assertTrue(OpenClBackend.memoryInUse(D) >= before + 4000);
        long held = OpenClBackend.memoryInUse(D);
        s.close();
        s.close();
        assertTrue(s.isClosed());
        assertEquals(held - 4000, OpenClBackend.memoryInUse(D));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.binary(BinaryOp.ADD, a));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aBufferLargerThanTheDeviceAllocatesIsAClearError() {
        long maxAlloc = OpenClContext.of(D).maxAllocBytes;
        long n = maxAlloc / DType.I64.byteSize() + 1;
        Assumptions.assumeTrue(n <= Integer.MAX_VALUE, "the device allocates buffers of " + maxAlloc + " bytes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.I64, D, (int) n));
        String m = e.getMessage();
        for (String f : new String[] {"zeros:", "[" + n + "] I64", D.toString(), n * 8 + " bytes", "largest buffer"}) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
    }

    @Test
    void memoryReturnsToTheBaselineAfterManySteps() throws InterruptedException {
        NDArray w = NDArray.ones(DType.F32, D, 64, 64);
        long baseline = OpenClTestSupport.settledMemory(D);
        long peak = 0;
        for (int step = 0; step < 300; step++) {
            NDArray x = NDArray.full(step, DType.F32, D, 64, 64);
            NDArray y = x.matmul(w).binary(BinaryOp.ADD, x).unary(UnaryOp.RELU).reduce(ReduceOp.SUM, 0, false);
            if (step % 100 == 0) {
                assertEquals(64.0 * (64 * step + step), y.toFloatArray()[0], 1e-3 * (64 * step + 1));
            }
            peak = Math.max(peak, OpenClBackend.memoryInUse(D));
        }
        long after = OpenClTestSupport.settledMemory(D);
        assertTrue(after <= baseline, "memory in use " + after + " did not return to the baseline " + baseline
                + " (peak " + peak + ")");
        assertTrue(peak > baseline, "the loop should have allocated");
    }

    @Test
    void explicitlyReleasedStepsStayFlat() throws InterruptedException {
        long baseline = OpenClTestSupport.settledMemory(D);
        for (int step = 0; step < 200; step++) {
            NDArray x = NDArray.zeros(DType.F32, D, 256);
            NDArray y = x.unary(UnaryOp.EXP);
            ((OpenClStorage) y.storage()).close();
            ((OpenClStorage) x.storage()).close();
        }
        // zeros() fills from a scalar uploaded per call, which only the cleaner frees
        long after = OpenClTestSupport.settledMemory(D);
        assertTrue(after <= baseline, after + " > " + baseline);
    }
}
