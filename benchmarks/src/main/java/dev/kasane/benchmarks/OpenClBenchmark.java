package dev.kasane.benchmarks;

import dev.kasane.backend.opencl.OpenClBackend;
import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenCL kernels beside the CPU ones: F32 GEMM 1024^3, the conv3x3-64ch forward, and a 1M-element add, each
 * waited for with {@link OpenClBackend#finish(Device)} so the score is the device time. On PoCL (a CPU device)
 * these numbers are for regression tracking only. Fewer iterations than the CPU kernels (a slow device). Pick the
 * device with {@code -p device=opencl:1}.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class OpenClBenchmark extends KernelBenchmark {
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
        a = normal(g, 1, dev, 1024, 1024);
        b = normal(g, 1, dev, 1024, 1024);
        x = normal(g, 1, dev, 32, 64, 32, 32);
        w = normal(g, 0.1, dev, 64, 64, 3, 3);
        u = normal(g, 1, dev, 1024, 1024);
        v = normal(g, 1, dev, 1024, 1024);
    }

    /** 1024 x 1024 x 1024 F32 product (the device's GEMM kernel: blocked on CPU devices, tiled on GPUs). */
    @Benchmark
    public NDArray gemm1024() {
        NDArray c = a.matmul(b);
        OpenClBackend.finish(dev);
        return c;
    }

    /** Forward 3x3 convolution, 64 to 64 channels on [32, 64, 32, 32] (im2col kernel + GEMM). */
    @Benchmark
    public NDArray conv3x3Forward() {
        NDArray y = x.conv2d(w, Conv2dSpec.of(1, 1, 1, 1));
        OpenClBackend.finish(dev);
        return y;
    }

    /** u + v over 1M contiguous elements. */
    @Benchmark
    public NDArray add1M() {
        NDArray y = u.binary(BinaryOp.ADD, v);
        OpenClBackend.finish(dev);
        return y;
    }
}
