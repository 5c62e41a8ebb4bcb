package dev.kasane.benchmarks;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.tensor.spi.UnaryOp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Elementwise ops and a sum reduction over 1M F32 elements, contiguous and broadcast, through NDArray's generic
 * primitives ({@code binary}, {@code unary}, {@code reduce}). Shorter iterations than the other kernels (1 s), in
 * microseconds.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBenchmark extends KernelBenchmark {
    private NDArray x;
    private NDArray y;
    private NDArray row;
    private NDArray xT;

    /** 1024 x 1024 operands and a 1024-element row to broadcast. */
    @Setup
    public void setup() {
        Generator g = new Generator(1);
        x = normal(g, 1, Device.CPU, 1024, 1024);
        y = normal(g, 1, Device.CPU, 1024, 1024);
        row = normal(g, 1, Device.CPU, 1024);
        xT = x.transpose(0, 1);
    }

    /** x + y, both contiguous. */
    @Benchmark
    public NDArray addContiguous() {
        return x.binary(BinaryOp.ADD, y);
    }

    /** x * y, both contiguous. */
    @Benchmark
    public NDArray mulContiguous() {
        return x.binary(BinaryOp.MUL, y);
    }

    /** x + row, the row broadcast over 1024 rows (stride 0). */
    @Benchmark
    public NDArray addBroadcastRow() {
        return x.binary(BinaryOp.ADD, row);
    }

    /** x * 2.5, a scalar operand. */
    @Benchmark
    public NDArray mulScalar() {
        return x.binary(BinaryOp.MUL, 2.5);
    }

    /** xT + y with xT a transposed (strided) view. */
    @Benchmark
    public NDArray addTransposed() {
        return xT.binary(BinaryOp.ADD, y);
    }

    /** exp(x). */
    @Benchmark
    public NDArray exp() {
        return x.unary(UnaryOp.EXP);
    }

    /** Sum of all 1M elements. */
    @Benchmark
    public NDArray sumAll() {
        return x.reduce(ReduceOp.SUM);
    }

    /** Row sums (reduce the contiguous last dim). */
    @Benchmark
    public NDArray sumLastDim() {
        return x.reduce(ReduceOp.SUM, 1, false);
    }

    /** Column sums (reduce the strided first dim). */
    @Benchmark
    public NDArray sumFirstDim() {
        return x.reduce(ReduceOp.SUM, 0, false);
    }
}
