package dev.kasane.benchmarks;

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
 * F32 max pooling with indices: LeNet's 2x2 stride-2 pool on [64, 6, 28, 28], and ResNet's 3x3 stride-2 padded pool
 * on [32, 64, 32, 32]. Score is the time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"}) // trap limits: see README, "JDK 17"
public class PoolBenchmark {
    /** "N,C,H,W,k,stride,pad". */
    @Param({"64,6,28,28,2,2,0", "32,64,32,32,3,2,1"})
    public String shape;

    private NDArray x;
    private Conv2dSpec spec;
    private int k;

    /** Creates the input. */
    @Setup
    public void setup() {
        String[] p = shape.split(",");
        int n = Integer.parseInt(p[0]);
        int c = Integer.parseInt(p[1]);
        int h = Integer.parseInt(p[2]);
        int w = Integer.parseInt(p[3]);
        k = Integer.parseInt(p[4]);
        spec = Conv2dSpec.of(Integer.parseInt(p[5]), Integer.parseInt(p[6]), 1, 1);
        x = NDArray.normal(new Generator(0), 0, 1, DType.F32, Device.CPU, n, c, h, w);
    }

    /** Values and indices. */
    @Benchmark
    public NDArray[] maxPool() {
        return x.maxPool2d(k, k, spec, false);
    }
}
