package dev.kasane.nn.quantization;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.tensor.Generator;
import java.util.Arrays;

/**
 * Not a test: times LeNet-5's float32 and post-training-quantized int8 forward passes over 256 images of 28 x 28 in
 * one process (README, "int8 latency"). Untrained weights: the time does not depend on their values. Prints the
 * median of {@code reps} repetitions of {@code iters} passes each, for both models, alternating.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp <test classpath> dev.kasane.nn.quantization.Int8LatencyProbe [reps] [iters]
 * }</pre>
 */
public final class Int8LatencyProbe {
    private Int8LatencyProbe() {
    }

    static Sequential lenet() {
        return new Sequential(new Conv2d(1, 6, 5, 1, 2), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }

    /** Runs the probe: {@code [reps] [iters]}, default 7 and 20. */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Generator.seedGlobal(1);
        Module f32 = lenet().eval();
        Module int8 = lenet().eval();
        int8.loadStateDict(f32.stateDict(), true);
        Tensor x = Tensor.rand(256, 1, 28, 28);
        Quantization.fuse(int8);
        Quantization.prepare(int8, () -> new MinMaxObserver(QuantDtype.QUINT8, QScheme.PER_TENSOR_AFFINE));
        int8.forward(x);
        Quantization.convert(int8);
        double[] tf = new double[reps];
        double[] tq = new double[reps];
        try (var g = Autograd.noGrad()) {
            for (int r = 0; r < reps; r++) {
                tf[r] = time(f32, x, iters);
                tq[r] = time(int8, x, iters);
            }
        }
        Arrays.sort(tf);
        Arrays.sort(tq);
        System.out.printf("LeNet-5, 256 images, median of %d x %d passes: float32 %.2f ms, int8 %.2f ms (int8 / float32 = %.2f)%n",
                reps, iters, tf[reps / 2], tq[reps / 2], tq[reps / 2] / tf[reps / 2]);
        System.out.println("float32 all: " + Arrays.toString(tf) + "\nint8 all:    " + Arrays.toString(tq));
    }

    private static double time(Module m, Tensor x, int iters) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            m.forward(x).toFloatArray();
        }
        return (System.nanoTime() - t0) / 1e6 / iters;
    }
}
