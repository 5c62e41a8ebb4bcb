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
 * F32 convolution forward, input gradient and weight gradient (no bias) for torch_bench.py's conv3x3-64ch shape and
 * LeNet-5's two convolutions at batch 64. Score is the time per call; GFLOP/s = 2*N*O*(C/groups)*kH*kW*OH*OW / time
 * for each of the three.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerBytecodeTrapLimit=100",
    "-XX:PerMethodTrapLimit=10000"}) // trap limits: see README, "JDK 17"
public class ConvBenchmark {
    /** "N,C,H,W,O,k,pad": conv3x3-64ch, LeNet conv1 (1->6, 5x5 on 28x28 padded 2), LeNet conv2 (6->16, 5x5 on 14x14). */
    @Param({"32,64,32,32,64,3,1", "64,1,28,28,6,5,2", "64,6,14,14,16,5,0"})
    public String shape;

    private NDArray x;
    private NDArray w;
    private NDArray gradOut;
    private Conv2dSpec spec;
    private int h;
    private int wd;
    private int k;

    /** Creates the operands. */
    @Setup
    public void setup() {
        String[] p = shape.split(",");
        int n = Integer.parseInt(p[0]);
        int c = Integer.parseInt(p[1]);
        h = Integer.parseInt(p[2]);
        wd = Integer.parseInt(p[3]);
        int o = Integer.parseInt(p[4]);
        k = Integer.parseInt(p[5]);
        int pad = Integer.parseInt(p[6]);
        spec = Conv2dSpec.of(1, pad, 1, 1);
        Generator g = new Generator(0);
        x = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, n, c, h, wd);
        w = NDArray.normal(g, 0, 0.1, DType.F32, Device.CPU, o, c, k, k);
        gradOut = NDArray.normal(g, 0, 1, DType.F32, Device.CPU, n, o, spec.outHeight(h, k), spec.outWidth(wd, k));
    }

    /** Forward. */
    @Benchmark
    public NDArray forward() {
        return x.conv2d(w, spec);
    }

    /** Gradient with respect to the input. */
    @Benchmark
    public NDArray inputGrad() {
        return gradOut.conv2dInputGrad(w, h, wd, spec);
    }

    /** Gradient with respect to the weight. */
    @Benchmark
    public NDArray weightGrad() {
        return x.conv2dWeightGrad(gradOut, k, k, spec);
    }
}
