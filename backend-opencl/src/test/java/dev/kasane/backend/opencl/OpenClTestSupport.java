package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.Random;
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

    /**
     * A CPU array of {@code shape} and dtype {@code t} with seeded values: multiples of 1/4 of magnitude about 10
     * (integers 0-255 for U8), so that products and short sums are exact in F32.
     */
    public static NDArray randomQuarters(long seed, DType t, int... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = t == DType.U8 ? r.nextInt(256) : Math.round(r.nextGaussian() * 40) / 4.0;
        }
        return NDArray.fromHost(v, DType.F64, Device.CPU, shape).toType(t);
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

    /**
     * Waits for the work queued on {@code device}, then runs the GC until the bytes it holds stop changing (three equal
     * readings 20 ms apart, at most 10 s), so that the cleaners of dropped arrays have run; returns those bytes.
     */
    public static long settledMemory(Device device) throws InterruptedException {
        OpenClBackend.finish(device);
        long last = -1;
        int stable = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stable < 3 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            long now = OpenClBackend.memoryInUse(device);
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
