package dev.kasane.benchmarks;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * F32 max pooling with indices: LeNet's 2x2 stride-2 pool on [64, 6, 28, 28], and ResNet's 3x3 stride-2 padded pool
 * on [32, 64, 32, 32]. Score is the time per call.
 */
public class PoolBenchmark extends KernelBenchmark {
    /** "N,C,H,W,k,stride,pad". */
    @Param({"64,6,28,28,2,2,0", "32,64,32,32,3,2,1"})
    public String shape;

    private NDArray x;
    private Conv2dSpec spec;
    private int k;

    /** Creates the input. */
    @Setup
    public void setup() {
        int[] p = ints(shape, 7);
        k = p[4];
        spec = Conv2dSpec.of(p[5], p[6], 1, 1);
        x = normal(new Generator(0), 1, Device.CPU, p[0], p[1], p[2], p[3]);
    }

    /** Values and indices. */
    @Benchmark
    public NDArray[] maxPool() {
        return x.maxPool2d(k, k, spec, false);
    }
}
