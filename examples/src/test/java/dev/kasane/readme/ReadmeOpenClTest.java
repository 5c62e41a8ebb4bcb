package dev.kasane.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Tensor;
import dev.kasane.backend.opencl.OpenCl;
import dev.kasane.backend.opencl.OpenClDeviceInfo;
import dev.kasane.tensor.Device;
import org.junit.jupiter.api.Test;

/** The OpenCL block of the top-level README.md ("GPUs through OpenCL"), run as written on OpenCL device 0. */
class ReadmeOpenClTest {
    @Test
    void openClDevice() {
        for (OpenClDeviceInfo d : OpenCl.devices()) System.out.println(d);   // index, platform, name, memory, fp64, ...
        Device gpu = Device.opencl(0);                                     // or -Dkasane.device=opencl:0 for the default
        Tensor a = Tensor.randn(1024, 1024).to(gpu);                       // transfers happen only at to(), item(), toXxxArray()
        Tensor c = a.matmul(a).relu();                                     // runs on the device

        assertEquals(gpu, c.device());
        Tensor onCpu = a.to(Device.CPU);
        // 1024-term F32 dot products summed in another order: rtol 1e-4, atol 1e-3
        assertTrue(c.to(Device.CPU).allClose(onCpu.matmul(onCpu).relu(), 1e-4, 1e-3), "OpenCL matmul+relu vs CPU");
    }
}
