package dev.kasane.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RequiresOpenCl
class OpenClConcurrencyTest {
    private static final Device D = OpenClTestSupport.DEVICE;

    @Test
    void twoThreadsShareOneDevice() throws Exception {
        float[] wHost = new float[32 * 16];
        for (int i = 0; i < wHost.length; i++) {
            wHost[i] = (i % 7) - 3;
        }
        NDArray shared = NDArray.fromHost(wHost, DType.F32, D, 32, 16);
        NDArray sharedCpu = NDArray.fromHost(wHost.clone(), DType.F32, Device.CPU, 32, 16);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final int seed = t;
                futures.add(pool.submit(() -> {
                    for (int step = 0; step < 40; step++) {
                        float[] xHost = new float[8 * 32];
                        for (int i = 0; i < xHost.length; i++) {
                            xHost[i] = ((i * (seed + 3) + step) % 11) - 5;
                        }
                        NDArray x = NDArray.fromHost(xHost, DType.F32, D, 8, 32);
                        NDArray y = x.matmul(shared).unary(UnaryOp.RELU).binary(BinaryOp.ADD, x.reduce(ReduceOp.SUM, 1, true)).transpose(0, 1).contiguous();
                        NDArray xc = NDArray.fromHost(xHost.clone(), DType.F32, Device.CPU, 8, 32);
                        NDArray yc = xc.matmul(sharedCpu).unary(UnaryOp.RELU).binary(BinaryOp.ADD, xc.reduce(ReduceOp.SUM, 1, true)).transpose(0, 1).contiguous();
                        assertArrayEquals(yc.toFloatArray(), y.toFloatArray(), 1e-3f, "thread " + seed + " step " + step);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
