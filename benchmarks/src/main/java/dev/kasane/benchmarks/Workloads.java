package dev.kasane.benchmarks;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * End-to-end workloads with the names and definitions of {@code ../shared/peers/torch_bench.py}, printed in its
 * format ({@code name  seconds s   note}), so the two can be compared line by line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.kasane.benchmarks.Workloads \
 *     [workload ...] [--threads N] [--json FILE]
 * </pre>
 */
public final class Workloads {
    /** A workload's result: median seconds per iteration and a throughput note. */
    record Result(double seconds, String note) {
    }

    private static final Map<String, Supplier<Result>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("gemm-1024", Workloads::gemm1024);
        WORKLOADS.put("conv3x3-64ch-fwd-bwd", Workloads::conv3x3);
        ModelWorkloads.register(WORKLOADS);
    }

    private Workloads() {
    }

    /** Heap bytes allocated per timed call by the last {@link #timeit}, or -1 (see {@link AllocationMeter}). */
    private static double bytesPerCall = -1;

    /**
     * Median seconds per call of {@code fn} over {@code iters} calls after {@code warmup} calls; also records the heap
     * bytes allocated per timed call (counted around the timed calls, outside each one's interval).
     */
    static double timeit(Runnable fn, int iters, int warmup) {
        Device device = Device.getDefault();
        for (int i = 0; i < warmup; i++) {
            fn.run();
        }
        device.synchronize();
        double[] t = new double[iters];
        boolean metered = AllocationMeter.available();
        long allocated = metered ? AllocationMeter.allocatedBytes() : 0;
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            fn.run();
            device.synchronize();  // asynchronous devices (OpenCL) must finish inside the timed interval
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        bytesPerCall = metered ? (double) (AllocationMeter.allocatedBytes() - allocated) / iters : -1;
        Arrays.sort(t);
        return iters % 2 == 1 ? t[iters / 2] : (t[iters / 2 - 1] + t[iters / 2]) / 2;
    }

    static Result gemm1024() {
        int n = 1024;
        Generator g = new Generator(0);
        Tensor a = Tensor.normal(g, 0, 1, DType.F32, Device.getDefault(), n, n);
        Tensor b = Tensor.normal(g, 0, 1, DType.F32, Device.getDefault(), n, n);
        // Extra warm-up so that the JIT has compiled the kernels (PyTorch's are precompiled).
        ModelWorkloads.warmUp(() -> a.matmul(b), 20);
        double s = timeit(() -> a.matmul(b), 10, 2);
        return new Result(s, String.format(Locale.ROOT, "%.1f GFLOP/s", 2.0 * n * n * n / s / 1e9));
    }

    /**
     * torch_bench.py's {@code w_conv}: x [32, 64, 32, 32] requiring grad, {@code Conv2d(64, 64, 3, padding=1)} with
     * bias; each step clears the gradients and backpropagates {@code conv(x).sum()} (forward, then the input, weight
     * and bias gradients).
     */
    static Result conv3x3() {
        Generator.seedGlobal(0);
        Tensor x = Tensor.randn(32, 64, 32, 32).requiresGrad(true);
        Conv2d conv = new Conv2d(64, 64, 3, 1, 1);
        Runnable step = () -> {
            conv.zeroGrad();
            x.setGrad(null);
            conv.forward(x).sum().backward();
        };
        // Extra JIT warm-up (5 steps and at least kasane.bench.warmupSeconds, as for the models).
        ModelWorkloads.warmUp(step, 5);
        double s = timeit(step, 5, 2);
        double flops = 3.0 * 2 * 32 * 64 * 64 * 9 * 32 * 32;
        return new Result(s, String.format(Locale.ROOT, "%.1f GFLOP/s (fwd+bwd)", flops / s / 1e9));
    }

    /**
     * Runs the named workloads (all by default) and prints one line each; {@code --threads N} sets the CPU backend's
     * thread count, {@code --json FILE} also writes the results as JSON, {@code --list} prints the workload names.
     */
    public static void main(String[] args) throws IOException {
        List<String> names = new ArrayList<>();
        String json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads":
                    System.setProperty("kasane.cpu.threads", args[++i]);
                    break;
                case "--json":
                    json = args[++i];
                    break;
                case "--list":
                    WORKLOADS.keySet().forEach(System.out::println);
                    return;
                default:
                    names.add(args[i]);
            }
        }
        if (names.isEmpty()) {
            names.addAll(WORKLOADS.keySet());
        }
        StringBuilder out = new StringBuilder("{\"kasane\": \"" + Runtime.version() + "\", \"results\": {");
        String sep = "";
        for (String name : names) {
            Supplier<Result> w = WORKLOADS.get(name);
            if (w == null) {
                throw new IllegalArgumentException("unknown workload '" + name + "'; available: " + WORKLOADS.keySet());
            }
            bytesPerCall = -1;
            Result r = w.get();
            if (bytesPerCall >= 0) {
                r = new Result(r.seconds(), r.note() + String.format(Locale.ROOT, ", %.2f MB allocated per call", bytesPerCall / 1e6));
            }
            System.out.printf(Locale.ROOT, "%-24s %10.4f s   %s%n", name, r.seconds(), r.note());
            System.out.flush();
            out.append(sep).append(String.format(Locale.ROOT, "\"%s\": {\"seconds\": %.6f, \"note\": \"%s\"}", name, r.seconds(), r.note()));
            sep = ", ";
        }
        out.append("}}\n");
        if (json != null) {
            Files.writeString(Path.of(json), out.toString(), StandardCharsets.UTF_8);
        }
    }
}
