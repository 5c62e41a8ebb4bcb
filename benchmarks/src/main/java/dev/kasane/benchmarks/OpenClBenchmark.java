package dev.kasane.benchmarks;

import dev.kasane.backend.opencl.OpenClBackend;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenCL kernels beside the CPU ones: F32 GEMM 1024^3, the conv3x3-64ch forward, and a 1M-element add, each
 * waited for with {@link OpenClBackend#finish(Device)} so the score is the device time. On PoCL (a CPU device)
 * these numbers are for regression tracking only. Pick the device with {@code -p device=opencl:1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"}) // trap limits: see README, "JDK 17"
public class OpenClBenchmark {
    /** The OpenCL device, as {@link Device#parse}. */
    @Param({"opencl:0"})
    public String device;

    private Device dev;
    private NDArray a;
    private NDArray b;
    private NDArray x;
    private NDArray w;
    private NDArray u;
    private NDArray v;

    /** Creates the operands on the device. */
    @Setup
    public void setup() {
        dev = Device.parse(device);
        Generator g = new Generator(0);
        a = NDArray.normal(g, 0, 1, DType.F32, dev, 1024, 1024);
        b = NDArray.normal(g, 0, 1, DType.F32, dev, 1024, 1024);
        x = NDArray.normal(g, 0, 1, DType.F32, dev, 32, 64, 32, 32);
        w = NDArray.normal(g, 0, 0.1, DType.F32, dev, 64, 64, 3, 3);
        u = NDArray.normal(g, 0, 1, DType.F32, dev, 1024, 1024);
        v = NDArray.normal(g, 0, 1, DType.F32, dev, 1024, 1024);
    }

    /** 1024 x 1024 x 1024 F32 product (tiled local-memory kernel). */
    @Benchmark
    public NDArray gemm1024() {
        NDArray c = a.matmul(b);
        OpenClBackend.finish(dev);
        return c;
    }

    /** Forward 3x3 convolution, 64 to 64 channels on [32, 64, 32, 32] (im2col copy + GEMM). */
    @Benchmark
    public NDArray conv3x3Forward() {
        NDArray y = x.conv2d(w, Conv2dSpec.of(1, 1, 1, 1));
        OpenClBackend.finish(dev);
        return y;
    }

    /** u + v over 1M contiguous elements. */
    @Benchmark
    public NDArray add1M() {
        NDArray y = u.add(v);
        OpenClBackend.finish(dev);
        return y;
    }
}
