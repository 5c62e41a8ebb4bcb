package dev.kasane.backend.opencl.training;

import dev.kasane.autograd.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.spi.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ops and backward calls that mix devices fail with messages naming both devices. Needs an OpenCL device (PoCL in
 * CI, where its absence is a failure rather than a skip).
 */
class DeviceMixingTest {
    private static final Device GPU = Device.opencl(0);

    @BeforeAll
    static void needsOpenCl() {
        try {
            Backends.forDevice(GPU);
        } catch (IllegalArgumentException e) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI must provide an OpenCL device (PoCL): " + e.getMessage(), e);
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
        }
    }

    @Test
    void binaryOpAcrossDevicesNamesBoth() {
        Tensor a = Tensor.ones(2, 3).requiresGrad(true);
        Tensor b = Tensor.ones(2, 3).to(GPU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().startsWith("add:"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("opencl:0"), e.getMessage());
    }

    @Test
    void matmulAcrossDevicesNamesBoth() {
        Tensor a = Tensor.ones(2, 3);
        Tensor b = Tensor.ones(3, 2).to(GPU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("opencl:0"), e.getMessage());
    }

    @Test
    void backwardWithGradientOnAnotherDeviceIsRejected() {
        Tensor x = Tensor.ones(2, 2).requiresGrad(true);
        Tensor y = x.mul(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.ones(2, 2).to(GPU)));
        assertTrue(e.getMessage().contains("opencl:0") && e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void gradientsFlowOnTheOpenClDevice() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).to(GPU).requiresGrad(true);
        x.square().sum().backward();
        assertEquals(GPU, x.grad().device());
        float[] g = x.grad().toFloatArray();
        assertEquals(2f, g[0], 1e-6f);
        assertEquals(4f, g[1], 1e-6f);
        assertEquals(6f, g[2], 1e-6f);
    }
}
