package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kasane.tensor.Device;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need an OpenCL device: without one they are skipped, except when the {@code CI}
 * environment variable is set, where a missing OpenCL platform is a failure.
 */
public final class OpenClTestSupport {
    /** The device the tests run on. */
    public static final Device DEVICE = Device.opencl(0);

    private OpenClTestSupport() {
    }

    /** Skips (or, on CI, fails) the calling test when no OpenCL device can be used. */
    public static void requireOpenCl() {
        if (OpenCl.isAvailable()) {
            return;
        }
        String why = OpenCl.unavailableReason().orElse("opencl unavailable");
        if (System.getenv("CI") != null) {
            fail("CI is set, so OpenCL must be available: " + why);
        }
        Assumptions.abort(why);
    }
}
