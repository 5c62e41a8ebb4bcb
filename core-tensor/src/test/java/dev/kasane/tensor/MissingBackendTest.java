package dev.kasane.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.spi.Backends;
import org.junit.jupiter.api.Test;

/** core-tensor's own tests run without any backend on the classpath: asking for a device says what to add. */
class MissingBackendTest {
    @Test
    void creatingAnArrayWithoutABackendNamesTheMissingArtifact() {
        assertFalse(Backends.isAvailable(Device.CPU_TYPE), "core-tensor must not see a backend on its test classpath");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(DType.F32, Device.CPU, 2, 3));
        assertTrue(e.getMessage().contains("no backend for device cpu"), e.getMessage());
        assertTrue(e.getMessage().contains("dev.kasane:backend-cpu"), e.getMessage());
    }

    @Test
    void openClDeviceWithoutItsBackendNamesTheOpenClArtifact() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.F32, Device.opencl(0), 4));
        assertTrue(e.getMessage().contains("opencl:0") && e.getMessage().contains("dev.kasane:backend-opencl"), e.getMessage());
    }

    @Test
    void anyDeviceTypeIsAKeyThatABackendMayServe() {
        assertFalse(Backends.isAvailable("vulkan"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.F32, Device.of("vulkan", 1), 4));
        assertTrue(e.getMessage().contains("vulkan:1") && e.getMessage().contains("found: none"), e.getMessage());
    }
}
