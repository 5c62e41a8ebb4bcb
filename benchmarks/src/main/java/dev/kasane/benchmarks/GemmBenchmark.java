package dev.kasane.benchmarks;

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
 * F32 matrix products: square sizes, a tall-skinny case (M=8192, K=256, N=64, the shape of a batched dense layer)
 * and a transposed right operand. Score is the time per product; GFLOP/s = 2*M*N*K / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"}) // trap limits: see README, "JDK 17"
public class GemmBenchmark {
    /** "M,K,N". */
    @Param({"256,256,256", "512,512,512", "1024,1024,1024", "8192,256,64"})
    public String mkn;

    /** Whether the right operand is a transposed view. */
    @Param({"false", "true"})
    public boolean transposedB;

    private NDArray a;
    private NDArray b;

    /** Creates the operands. */
    @Setup
    public void setup() {
        String[] p = mkn.split(",");
        int m = Integer.parseInt(p[0]);
        int k = Integer.parseInt(p[1]);
        int n = Integer.parseInt(p[2]);
        Generator g = new Generator(0);
        a = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, m, k);
        b = transposedB ? NDArray.normal(g, 0, 1, DType.F32, Device.CPU, n, k).transpose(0, 1)
                : NDArray.normal(g, 0, 1, DType.F32, Device.CPU, k, n);
    }

    /** One product. */
    @Benchmark
    public NDArray matmul() {
        return a.matmul(b);
    }
}
