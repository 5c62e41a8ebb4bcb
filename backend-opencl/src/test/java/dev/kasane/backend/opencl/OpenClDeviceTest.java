package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.Backends;
import dev.kasane.tensor.spi.ReduceOp;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresOpenCl
class OpenClDeviceTest {
    @Test
    void listsDevicesWithTheirProperties() {
        List<OpenClDeviceInfo> devices = OpenCl.devices();
        assertFalse(devices.isEmpty());
        for (int i = 0; i < devices.size(); i++) {
            OpenClDeviceInfo d = devices.get(i);
            assertEquals(i, d.index());
            assertFalse(d.name().isEmpty(), d.toString());
            assertFalse(d.platform().isEmpty(), d.toString());
            assertTrue(d.globalMemoryBytes() > 0, d.toString());
            assertTrue(d.computeUnits() > 0, d.toString());
            assertTrue(d.maxWorkGroupSize() > 0, d.toString());
            assertTrue(d.toString().startsWith("opencl:" + i + " "), d.toString());
        }
        assertTrue(OpenCl.unavailableReason().isEmpty());
    }

    @Test
    void backendIsFoundThroughTheServiceLoader() {
        assertTrue(Backends.isAvailable(Device.OPENCL_TYPE));
        assertTrue(Backends.forDevice(OpenClTestSupport.DEVICE) instanceof OpenClBackend);
        NDArray x = NDArray.ones(DType.F32, OpenClTestSupport.DEVICE, 3);
        assertTrue(x.storage() instanceof OpenClStorage);
        assertEquals(OpenClTestSupport.DEVICE, x.device());
    }

    @Test
    void missingDeviceNamesItAndListsTheOthers() {
        int n = OpenCl.devices().size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(DType.F32, Device.opencl(n + 5), 2));
        assertTrue(e.getMessage().contains("opencl:" + (n + 5)), e.getMessage());
        assertTrue(e.getMessage().contains(OpenCl.devices().get(0).name()), e.getMessage());
    }

    @Test
    void f64WithoutFp64IsAClearError() {
        OpenClContext ctx = OpenClContext.of(OpenClTestSupport.DEVICE);
        if (ctx.fp64) {
            ctx.checkDType("matmul", DType.F64);
            NDArray x = NDArray.ones(DType.F64, OpenClTestSupport.DEVICE, 2, 2);
            assertEquals(8, x.matmul(x).reduce(ReduceOp.SUM).item(), 0);
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NDArray.ones(DType.F64, OpenClTestSupport.DEVICE, 2));
            assertTrue(e.getMessage().contains("F64") && e.getMessage().contains("cl_khr_fp64")
                    && e.getMessage().contains(OpenClTestSupport.DEVICE.toString()), e.getMessage());
        }
    }

    @Test
    void theBuildLogAndProgramNameComeWithACompileError() {
        OpenClContext ctx = OpenClContext.of(OpenClTestSupport.DEVICE);
        String broken = "__kernel void broken(__global float* x) { x[0] = no_such_symbol_here; }";
        OpenClBuildException e = assertThrows(OpenClBuildException.class,
                () -> Programs.build(ctx, "deliberately-broken", new String[] {broken}, "-DT=float"));
        assertEquals("deliberately-broken", e.programName());
        assertTrue(e.getMessage().contains("deliberately-broken"), e.getMessage());
        assertTrue(e.buildLog().contains("no_such_symbol_here"), e.buildLog());
        assertTrue(e.getMessage().contains(e.buildLog()), e.getMessage());
    }

    @Test
    void kernelSourcesLoadFromTheClasspath() {
        for (Programs.Family f : Programs.Family.values()) {
            for (String file : f.files) {
                assertFalse(Programs.source(file).isEmpty(), file);
            }
        }
        assertThrows(IllegalStateException.class, () -> Programs.source("missing.cl"));
    }
}
