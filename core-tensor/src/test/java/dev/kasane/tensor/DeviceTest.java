package dev.kasane.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** Device parsing, printing, equality and the default device (no backend needed). */
class DeviceTest {

    @Test
    void parse() {
        assertSame(Device.CPU, Device.parse("cpu"));
        assertSame(Device.CPU, Device.parse("  CPU "));
        assertEquals(Device.opencl(0), Device.parse("opencl"));
        // no aliases: "gpu" is a type name of its own, which no backend serves
        assertEquals("gpu", Device.parse("gpu").type());
        assertEquals(Device.opencl(2), Device.parse("OpenCL:2"));
        assertEquals("opencl", Device.parse("opencl:1").type());
        assertEquals(1, Device.parse("opencl:1").index());
        // the type is an open key: any backend's name parses, and Backends says whether one serves it
        assertEquals(Device.of("vulkan", 2), Device.parse("Vulkan:2"));
        assertEquals("vulkan:0", Device.parse("vulkan").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("cu da"));
        assertTrue(e.getMessage().contains("cu da"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("9gpu"));
        assertThrows(IllegalArgumentException.class, () -> Device.of("Bad-Name", 0));
        assertThrows(IllegalArgumentException.class, () -> Device.of("vulkan", -1));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("opencl:x"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("opencl:-1"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse(""));
        assertThrows(NullPointerException.class, () -> Device.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Device.opencl(-1));
    }

    @Test
    void toStringRoundTrips() {
        assertEquals("cpu", Device.CPU.toString());
        assertEquals("opencl:3", Device.opencl(3).toString());
        for (Device d : new Device[] {Device.CPU, Device.opencl(0), Device.opencl(5)}) {
            assertEquals(d, Device.parse(d.toString()));
        }
        assertEquals(0, Device.CPU.index());
        assertEquals("cpu", Device.CPU.type());
        assertTrue(Device.CPU.isCpu());
        assertSame(Device.CPU, Device.of("cpu", 0));
    }

    @Test
    void equality() {
        assertEquals(Device.opencl(1), Device.opencl(1));
        assertEquals(Device.opencl(1).hashCode(), Device.opencl(1).hashCode());
        assertNotEquals(Device.opencl(1), Device.opencl(2));
        assertNotEquals(Device.CPU, Device.opencl(0));
        assertNotEquals(Device.CPU, "cpu");
    }

    @Test
    void defaultComesFromThePropertyAndSetDefault() throws Exception {
        Field f = Device.class.getDeclaredField("defaultDevice");
        f.setAccessible(true);
        Object saved = f.get(null);
        String savedProp = System.getProperty("kasane.device");
        try {
            f.set(null, null);
            System.setProperty("kasane.device", "opencl:1");
            assertEquals(Device.opencl(1), Device.getDefault(), "the kasane.device property sets the default");
            System.setProperty("kasane.device", "cpu");
            assertEquals(Device.opencl(1), Device.getDefault(), "the property is read once");
            f.set(null, null);
            System.clearProperty("kasane.device");
            assertSame(Device.CPU, Device.getDefault(), "CPU without the property");
            f.set(null, null);
            System.setProperty("kasane.device", "  ");
            assertSame(Device.CPU, Device.getDefault(), "CPU for a blank property");
            Device.setDefault(Device.opencl(4));
            assertEquals(Device.opencl(4), Device.getDefault());
            assertThrows(NullPointerException.class, () -> Device.setDefault(null));
        } finally {
            f.set(null, saved);
            if (savedProp == null) {
                System.clearProperty("kasane.device");
            } else {
                System.setProperty("kasane.device", savedProp);
            }
        }
    }
}
