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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Elementwise ops and a sum reduction over 1M F32 elements, contiguous and broadcast. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"}) // trap limits: see README, "JDK 17"
public class ElementwiseBenchmark {
    private NDArray x;
    private NDArray y;
    private NDArray row;
    private NDArray xT;

    /** 1024 x 1024 operands and a 1024-element row to broadcast. */
    @Setup
    public void setup() {
        Generator g = new Generator(1);
        x = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, 1024, 1024);
        y = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, 1024, 1024);
        row = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, 1024);
        xT = x.transpose(0, 1);
    }

    /** x + y, both contiguous. */
    @Benchmark
    public NDArray addContiguous() {
        return x.add(y);
    }

    /** x * y, both contiguous. */
    @Benchmark
    public NDArray mulContiguous() {
        return x.mul(y);
    }

    /** x + row, the row broadcast over 1024 rows (stride 0). */
    @Benchmark
    public NDArray addBroadcastRow() {
        return x.add(row);
    }

    /** x * 2.5, a scalar operand. */
    @Benchmark
    public NDArray mulScalar() {
        return x.mul(2.5);
    }

    /** xT + y with xT a transposed (strided) view. */
    @Benchmark
    public NDArray addTransposed() {
        return xT.add(y);
    }

    /** exp(x). */
    @Benchmark
    public NDArray exp() {
        return x.exp();
    }

    /** Sum of all 1M elements. */
    @Benchmark
    public NDArray sumAll() {
        return x.sum();
    }

    /** Row sums (reduce the contiguous last dim). */
    @Benchmark
    public NDArray sumLastDim() {
        return x.sum(1);
    }

    /** Column sums (reduce the strided first dim). */
    @Benchmark
    public NDArray sumFirstDim() {
        return x.sum(0);
    }
}
