package dev.kasane.benchmarks;

import dev.kasane.tensor.Conv2dSpec;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * F32 convolution forward, input gradient and weight gradient (no bias) for torch_bench.py's conv3x3-64ch shape and
 * LeNet-5's two convolutions at batch 64. Score is the time per call; GFLOP/s = 2*N*O*(C/groups)*kH*kW*OH*OW / time
 * for each of the three.
 */
public class ConvBenchmark extends KernelBenchmark {
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
        int[] p = ints(shape, 7);
        int n = p[0];
        int c = p[1];
        h = p[2];
        wd = p[3];
        int o = p[4];
        k = p[5];
        spec = Conv2dSpec.of(1, p[6], 1, 1);
        Generator g = new Generator(0);
        x = normal(g, 1, Device.CPU, n, c, h, wd);
        w = normal(g, 0.1, Device.CPU, o, c, k, k);
        gradOut = normal(g, 1, Device.CPU, n, o, spec.outHeight(h, k), spec.outWidth(wd, k));
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
