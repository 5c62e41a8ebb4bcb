package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without any OpenCL platform (a child JVM whose ICD loader is pointed at an empty vendor directory), the CPU backend
 * keeps working and using an OpenCL device says what to install.
 */
class OpenClNoPlatformTest {
    @Test
    void withoutAPlatformTheCpuWorksAndTheErrorSaysWhatToInstall(@TempDir Path empty) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                NoPlatformMain.class.getName()));
        pb.environment().put("OCL_ICD_VENDORS", empty.toString() + File.separator);
        pb.environment().remove("OCL_ICD_FILENAMES");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("cpu sum 3.0"), out);
        assertTrue(out.contains("available false devices 0"), out);
        assertTrue(out.contains("IAE ") && out.contains("apt-get install pocl-opencl-icd ocl-icd-opencl-dev"), out);
        assertTrue(out.contains("cpu still works 2.0"), out);
    }
}
