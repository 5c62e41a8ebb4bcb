package dev.kasane.benchmarks;

import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * F32 matrix products: square sizes, a tall-skinny case (M=8192, K=256, N=64, the shape of a batched dense layer)
 * and a transposed right operand. Score is the time per product; GFLOP/s = 2*M*N*K / time.
 */
public class GemmBenchmark extends KernelBenchmark {
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
        int[] p = ints(mkn, 3);
        int m = p[0];
        int k = p[1];
        int n = p[2];
        Generator g = new Generator(0);
        a = normal(g, 1, Device.CPU, m, k);
        b = transposedB ? normal(g, 1, Device.CPU, n, k).transpose(0, 1) : normal(g, 1, Device.CPU, k, n);
    }

    /** One product. */
    @Benchmark
    public NDArray matmul() {
        return a.matmul(b);
    }
}
