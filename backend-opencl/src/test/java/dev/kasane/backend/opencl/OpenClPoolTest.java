package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

/**
 * Freed device buffers are pooled by size and handed out again; the numeric options and the profiler refuse clearly.
 */
@RequiresOpenCl
class OpenClPoolTest {
    private static final int ODD = 12_347;  // a length no other test allocates

    @Test
    void aFreedBufferIsReusedForTheNextArrayOfItsSize() {
        OpenClContext ctx = OpenClContext.of(OpenClTestSupport.DEVICE);
        NDArray a = NDArray.fromHost(new float[ODD], DType.F32, OpenClTestSupport.DEVICE, ODD);
        OpenClStorage first = (OpenClStorage) a.storage();
        cl_mem mem = first.mem();
        int pooled = ctx.pooled(4L * ODD);
        NDArray twice = a.binary(BinaryOp.ADD, a);  // queued work on the buffer before it is freed
        first.close();
        assertEquals(pooled + 1, ctx.pooled(4L * ODD));
        NDArray b = NDArray.empty(DType.F32, OpenClTestSupport.DEVICE, ODD);
        assertSame(mem, ((OpenClStorage) b.storage()).mem(), "the pooled buffer is handed out again");
        assertEquals(pooled, ctx.pooled(4L * ODD));
        b.fillInPlace(7);
        assertArrayEquals(new float[ODD], twice.toFloatArray(), 0, "work queued before the reuse saw the old contents");
        assertEquals(7f, b.toFloatArray()[ODD - 1], 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, first::mem);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void theNumericOptionsRefuseAnythingButWholeNumbersInRange() {
        String name = "kasane.opencl.test.option";
        try {
            assertEquals(7, OpenCl.longProperty(name, 7, 0), "unset: the default");
            System.setProperty(name, " 256 ");
            assertEquals(256, OpenCl.longProperty(name, 7, 0));
            for (String bad : new String[] {"1g", "-1", ""}) {
                System.setProperty(name, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenCl.longProperty(name, 7, 0));
                assertTrue(e.getMessage().contains("-D" + name + "=" + bad) && e.getMessage().contains(">= 0"), e.getMessage());
            }
        } finally {
            System.clearProperty(name);
        }
    }

    @Test
    void theKernelProfileNamesThePropertyWhenProfilingIsOff() {
        if (Boolean.getBoolean(KernelProfile.PROPERTY)) {
            return;  // this JVM profiles: nothing to refuse
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenClBackend.kernelProfile(OpenClTestSupport.DEVICE));
        assertTrue(e.getMessage().contains("-Dkasane.opencl.profile=true"), e.getMessage());
    }
}
