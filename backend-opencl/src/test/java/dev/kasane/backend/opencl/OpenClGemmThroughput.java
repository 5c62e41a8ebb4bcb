package dev.kasane.backend.opencl;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints the GEMM rate for 1024 x 1024 x 1024 F32, for regression tracking only: not a timed test, it
 * runs only with {@code -Dkasane.opencl.gemmThroughput=true} and asserts nothing. Real timings belong in the
 * benchmarks module.
 */
class OpenClGemmThroughput {
    @Test
    @EnabledIfSystemProperty(named = "kasane.opencl.gemmThroughput", matches = "true")
    void gemm1024() {
        OpenClTestSupport.requireOpenCl();
        Device d = OpenClTestSupport.DEVICE;
        OpenClContext ctx = OpenClContext.of(d);
        int n = 1024;
        NDArray a = NDArray.ones(DType.F32, d, 1, n, n);
        NDArray b = NDArray.ones(DType.F32, d, 1, n, n);
        NDArray c = NDArray.empty(DType.F32, d, 1, n, n);
        for (int round = 0; round < 2; round++) {
            for (String layout : new String[] {"A @ B", "A^T @ B", "A @ B^T"}) {
                NDArray x = layout.equals("A^T @ B") ? a.transpose(1, 2) : a;
                NDArray y = layout.equals("A @ B^T") ? b.transpose(1, 2) : b;
                Gemm.matmul(ctx, x, y, c);
                OpenClBackend.finish(d);
                int reps = 3;
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    Gemm.matmul(ctx, x, y, c);
                }
                OpenClBackend.finish(d);
                double s = (System.nanoTime() - t0) / 1e9 / reps;
                System.out.printf("opencl gemm %-8s %dx%dx%d F32 on %s: %.1f GFLOP/s%n", layout, n, n, n,
                        ctx.info.name(), 2.0 * n * n * n / s / 1e9);
            }
        }
    }
}
