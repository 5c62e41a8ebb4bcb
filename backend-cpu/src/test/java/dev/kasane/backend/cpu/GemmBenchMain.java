package dev.kasane.backend.cpu;

import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.NDArray;
import java.util.Random;

/**
 * A quick GEMM throughput check through the backend SPI (not a test; timings belong in benchmarks):
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.kasane.backend.cpu.GemmBenchMain [n] [iterations] [F32|F64]}.
 * Honors {@code kasane.cpu.threads} and {@code kasane.cpu.simd}.
 */
public final class GemmBenchMain {
    private GemmBenchMain() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        DType dt = args.length > 2 ? DType.valueOf(args[2]) : DType.F32;
        Random r = new Random(1);
        Object ha = TestViews.randomHost(r, dt, n * n);
        Object hb = TestViews.randomHost(r, dt, n * n);
        NDArray a = NDArray.fromHost(ha, dt, Device.CPU, 1, n, n);
        NDArray b = NDArray.fromHost(hb, dt, Device.CPU, 1, n, n);
        NDArray c = NDArray.fromHost(dt.newHostArray(n * n), dt, Device.CPU, 1, n, n);
        CpuBackend be = new CpuBackend();
        double best = 0;
        double sum = 0;
        int counted = 0;
        for (int it = 0; it < iters; it++) {
            long t0 = System.nanoTime();
            be.matmul(a, b, c);
            double gflops = 2.0 * n * n * n / (System.nanoTime() - t0);
            best = Math.max(best, gflops);
            if (it >= iters / 2) {
                sum += gflops;
                counted++;
            }
        }
        System.out.printf("%s %dx%d matmul, %d threads, %s: best %.1f GFLOP/s, mean of last half %.1f GFLOP/s (java %s)%n",
                dt, n, n, Parallel.shared().threads(), VectorSupport.gemmF32().describe(), best, sum / counted,
                System.getProperty("java.version"));
    }
}
