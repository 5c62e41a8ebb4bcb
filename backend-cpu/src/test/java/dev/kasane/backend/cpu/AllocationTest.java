package dev.kasane.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Allocations the Java heap cannot hold give an error naming the op, shape, dtype, bytes and device instead of a VM
 * {@link OutOfMemoryError}: an array longer than the JVM allows is refused outright, and one that does not fit the heap
 * fails with the heap's limit in the message (and leaves the JVM usable).
 */
class AllocationTest {
    private static void assertMentions(RuntimeException e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void longerThanAJavaArrayIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(DType.F32, Device.CPU,
                Integer.MAX_VALUE));
        assertMentions(e, "zeros:", "[2147483647] F32", "cpu", "8589934588 bytes", "Java array");
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(DType.F32, Device.CPU, 1, 1)
                .expand(1, Integer.MAX_VALUE).binary(BinaryOp.ADD, 1.0));
        assertMentions(e, "add:", "[1, 2147483647] F32", "8589934588 bytes");
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.randperm(new dev.kasane.tensor.Generator(1),
                Integer.MAX_VALUE, Device.CPU));
        assertMentions(e, "randperm:", "[2147483647] I64", "17179869176 bytes");
    }

    @Test
    void moreThanTheHeapHoldsIsAClearError() {
        int n = DType.MAX_HOST_LENGTH;
        long bytes = (long) n * DType.F64.byteSize();
        Assumptions.assumeTrue(bytes > Runtime.getRuntime().maxMemory(), "the heap could hold " + bytes + " bytes");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NDArray.zeros(DType.F64, Device.CPU, n));
        assertMentions(e, "zeros:", "[" + n + "] F64", "cpu", bytes + " bytes", "Java heap", "-Xmx");
        NDArray after = NDArray.ones(DType.F64, Device.CPU, 1000);
        assertTrue(after.numel() == 1000, "allocation works after the failure");
    }
}
