package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Loading OpenCL turns the CPU backend's spinning helpers off unless the user chose a wait or the JVM chains signals
 * (an OpenCL driver's SIGSEGV handler would otherwise catch the JVM's safepoint polls and crash the process).
 */
class CpuSpinGuardTest {
    @Test
    void spinningStopsUnlessChosenOrSignalsAreChained() {
        assertEquals("0", OpenCl.cpuSpinWhenLoaded(null, null));
        assertEquals("0", OpenCl.cpuSpinWhenLoaded(null, "/usr/lib/libfoo.so"));
        assertNull(OpenCl.cpuSpinWhenLoaded("500", null), "the user's value stays");
        assertNull(OpenCl.cpuSpinWhenLoaded(null, "/usr/lib/jvm/java-17-openjdk-amd64/lib/libjsig.so"));
    }

    /** The pom's Linux profile preloads libjsig into the test JVMs, so these tests run with the helpers spinning. */
    @Test
    void theTestJvmsChainSignalsOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        String preload = System.getenv("LD_PRELOAD");
        assertEquals(true, preload != null && preload.contains("libjsig"), "LD_PRELOAD of the test JVM: " + preload);
    }
}
