package dev.kasane.amp;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.nn.BatchNorm2d;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The measurements of README's "Mixed precision" (not a test: timings are never asserted). Run under the build lock:
 * a training step of a LeNet-5 (batch 64, 28x28) and of a small VGG-style net (batch 32, 32x32, 64 channels), each
 * in F32, under BF16 autocast and under F16 autocast with a GradScaler; median of 5 rounds of 20 steps after warm-up,
 * the modes interleaved within each round. Then the bytes of each net's state dict in F32 and BF16.
 *
 * <pre>
 * java -cp ... dev.kasane.amp.AmpTimingMain
 * </pre>
 */
public final class AmpTimingMain {
    private static final int ROUNDS = 5;
    private static final int STEPS = 20;

    private AmpTimingMain() {
    }

    public static void main(String[] args) {
        time("lenet5 b64", AmpTimingMain::lenet, new int[] {64, 1, 28, 28});
        time("vgg-ish 64ch b32", AmpTimingMain::vggish, new int[] {32, 3, 32, 32});
    }

    private static Module lenet() {
        return new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5, 1, 0),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84),
                new ReLU(), new Linear(84, 10));
    }

    private static Module vggish() {
        return new Sequential(new Conv2d(3, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(), new Conv2d(64, 64, 3, 1, 1),
                new BatchNorm2d(64), new ReLU(), new MaxPool2d(2), new Conv2d(64, 64, 3, 1, 1), new BatchNorm2d(64),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64 * 8 * 8, 10));
    }

    private static void time(String name, Supplier<Module> build, int[] inputShape) {
        Module model = build.get();
        SGD opt = new SGD(model.parameters(), 0.01);
        Tensor x = Tensor.randn(inputShape);
        Tensor y = Tensor.randint(0, 10, inputShape[0]);
        GradScaler scaler = new GradScaler();
        Runnable f32 = () -> step(model, opt, x, y, null, null);
        Runnable bf16 = () -> step(model, opt, x, y, DType.BF16, null);
        Runnable f16 = () -> step(model, opt, x, y, DType.F16, scaler);
        Runnable[] modes = {f32, bf16, f16};
        String[] names = {"F32", "BF16 autocast", "F16 autocast + GradScaler"};
        double[][] ms = new double[modes.length][ROUNDS];
        for (Runnable m : modes) {
            for (int i = 0; i < 3 * STEPS; i++) {
                m.run();
            }
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int m = 0; m < modes.length; m++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < STEPS; i++) {
                    modes[m].run();
                }
                ms[m][r] = (System.nanoTime() - t0) / 1e6 / STEPS;
            }
        }
        for (int m = 0; m < modes.length; m++) {
            double[] s = ms[m].clone();
            Arrays.sort(s);
            System.out.printf("%s | %s | median %.2f ms/step (range %.2f-%.2f)%n", name, names[m], s[ROUNDS / 2], s[0],
                    s[ROUNDS - 1]);
        }
        long f32Bytes = 0;
        long bf16Bytes = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            f32Bytes += (long) e.getValue().numel() * e.getValue().dtype().byteSize();
            Tensor low = e.getValue().dtype() == DType.F32 ? e.getValue().toType(DType.BF16) : e.getValue();
            bf16Bytes += (long) Function.array(low).numel() * low.dtype().byteSize();
        }
        System.out.printf("%s | state dict %d bytes F32, %d bytes with BF16 floats%n", name, f32Bytes, bf16Bytes);
    }

    private static void step(Module model, SGD opt, Tensor x, Tensor y, DType low, GradScaler scaler) {
        opt.zeroGrad();
        Tensor loss;
        if (low == null) {
            loss = F.crossEntropy(model.forward(x), y);
        } else {
            try (Autocast ignored = Autocast.open(low, true)) {
                loss = F.crossEntropy(model.forward(x), y);
            }
        }
        if (scaler == null) {
            loss.backward();
            opt.step();
        } else {
            scaler.scale(loss).backward();
            scaler.step(opt);
            scaler.update();
        }
    }
}
