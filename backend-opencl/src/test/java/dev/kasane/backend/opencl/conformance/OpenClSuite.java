package dev.kasane.backend.opencl.conformance;

import dev.kasane.backend.opencl.OpenClTestSupport;
import org.junit.jupiter.api.BeforeAll;

/**
 * Mixed into every OpenCL conformance test: before any test of the class runs, skips the class when no OpenCL device
 * is available (or fails it when the {@code CI} environment variable is set).
 */
interface OpenClSuite {
    @BeforeAll
    static void requireOpenCl() {
        OpenClTestSupport.requireOpenCl();
    }
}
