package dev.kasane.benchmarks;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.benchmarks.Workloads.Result;
import dev.kasane.nn.Module;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.models.DCGAN;
import dev.kasane.vision.models.EfficientNet;
import dev.kasane.vision.models.LeNet5;
import dev.kasane.vision.models.MobileNetV2;
import dev.kasane.vision.models.ResNet;
import dev.kasane.vision.models.UNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The end-to-end training workloads of {@code ../shared/peers/torch_bench.py} ({@code lenet5-fmnist-epoch},
 * {@code dcgan28-step}, {@code unet16-64px-step}, {@code resnet18-cifar-step}, {@code mobilenetv2-64px-step},
 * {@code efficientnet-b0-64px-step}, {@code resnet50-224-infer-b1}), with the same models
 * ({@code reference_models.py}, here from the model zoo), optimisers, shapes, seeds and measured iteration counts.
 *
 * <p>Warm-up: torch_bench warms up 2 iterations before timing; PyTorch's kernels are precompiled, ours are
 * compiled by the JIT while they run. So every step workload first runs extra warm-up steps (more for the cheap
 * steps and for the many-layer models, whose per-layer code C2 compiles only after thousands of calls; fewer for the
 * expensive ones, and for at least {@code kasane.bench.warmupSeconds}, default 10, but for at most
 * {@code kasane.bench.warmupMaxSeconds}, default 30, so slow devices finish) so that C2 has compiled the kernels, and
 * then exactly torch_bench's warm-up and measured counts. The LeNet epoch is timed as
 * one pass, as in torch_bench, after the same untimed warm-up (at least 200 steps and that many seconds) on a
 * throw-away model.
 */
final class ModelWorkloads {
    private static final String FMNIST_DIR = System.getenv().getOrDefault("FASHION_MNIST_DIR",
            "/usr/share/datasets/fashion-mnist");

    private ModelWorkloads() {
    }

    /** Adds the workloads to {@code workloads}, in torch_bench's order. */
    static void register(Map<String, Supplier<Result>> workloads) {
        workloads.put("lenet5-fmnist-epoch", ModelWorkloads::lenetEpoch);
        workloads.put("dcgan28-step", ModelWorkloads::dcganStep);
        workloads.put("unet16-64px-step", ModelWorkloads::unetStep);
        workloads.put("resnet18-cifar-step", ModelWorkloads::resnet18Step);
        workloads.put("mobilenetv2-64px-step", () -> step64(() -> new MobileNetV2(10)));
        workloads.put("efficientnet-b0-64px-step", () -> step64(() -> EfficientNet.efficientnetB0(10)));
        workloads.put("resnet50-224-infer-b1", ModelWorkloads::resnet50Infer);
    }

    /**
     * Seconds of untimed JIT warm-up per step workload, at least. C2 takes seconds over a whole model on 2 busy cores:
     * batch-1 ResNet-50 made 2,700 compilations in its first 4 s and still 10 to 40 a second until about 12 s, and
     * after a 3 s warm-up it measured 90-100 ms per image against a steady 62-70 ms.
     */
    private static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("kasane.bench.warmupSeconds", "10"));
    /**
     * Seconds after which the warm-up stops even if it has not run its steps (slow devices such as PoCL's, where one
     * step takes seconds and the kernels need no JIT warm-up anyway).
     */
    private static final double WARMUP_MAX_SECONDS = Double.parseDouble(System.getProperty("kasane.bench.warmupMaxSeconds", "30"));

    /**
     * Runs {@code step} untimed, {@code n} times and for at least {@link #WARMUP_SECONDS}, so that the JIT compiles
     * the kernels it reaches, but stops (after one step at least) once {@link #WARMUP_MAX_SECONDS} have passed. Each
     * step is waited for on the default device, so asynchronous devices count their real time.
     */
    static void warmUp(Runnable step, int n) {
        long start = System.nanoTime();
        long min = (long) (WARMUP_SECONDS * 1e9);
        long max = (long) (WARMUP_MAX_SECONDS * 1e9);
        for (int i = 0; ; i++) {
            long t = System.nanoTime() - start;
            if (i > 0 && (t >= max || i >= n && t >= min)) {
                return;
            }
            step.run();
            Device.getDefault().synchronize();
        }
    }

    /** torch_bench's train_step: zero_grad, loss, backward, step. */
    static Tensor trainStep(Module m, Optimizer<?> opt, Tensor x, Tensor y, BiFunction<Tensor, Tensor, Tensor> lossf) {
        opt.zeroGrad();
        Tensor loss = lossf.apply(m.forward(x), y);
        loss.backward();
        opt.step();
        return loss;
    }

    // ------------------------------------------------------------------------------------------ lenet5-fmnist-epoch

    static Result lenetEpoch() {
        Tensor[] train;
        Tensor[] test;
        try {
            train = load(FashionMNIST.train(java.nio.file.Path.of(FMNIST_DIR)));
            test = load(FashionMNIST.test(java.nio.file.Path.of(FMNIST_DIR)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tensor xs = train[0];
        Tensor ys = train[1];
        int n = xs.size(0);

        // JIT warm-up (untimed, throw-away model), as for the step workloads: at least 200 steps of batch 64 and
        // WARMUP_SECONDS, so that C2 has compiled the kernels the epoch uses (on 2 cores the compiler threads share
        // the cores with the workload: after 200 steps alone, some kernels still ran uncompiled seconds into the epoch).
        Generator.seedGlobal(1);
        LeNet5 w = new LeNet5(10);
        Adam ow = new Adam(w.parameters(), 1e-3);
        Tensor wp = Tensor.randperm(n);
        int[] at = {0};
        warmUp(() -> {
            Tensor j = wp.slice(0, at[0], at[0] + 64);
            trainStep(w, ow, xs.indexSelect(0, j), ys.indexSelect(0, j), F::crossEntropy);
            at[0] = at[0] + 128 > n ? 0 : at[0] + 64;
        }, 200);

        Generator.seedGlobal(0);
        LeNet5 m = new LeNet5(10);
        Adam opt = new Adam(m.parameters(), 1e-3);
        boolean metered = AllocationMeter.available();
        long allocated = metered ? AllocationMeter.allocatedBytes() : 0;
        long t0 = System.nanoTime();
        Tensor perm = Tensor.randperm(n);
        for (int i = 0; i < n; i += 64) {
            Tensor j = perm.slice(0, i, Math.min(i + 64, n));
            trainStep(m, opt, xs.indexSelect(0, j), ys.indexSelect(0, j), F::crossEntropy);
        }
        m.parameters().get(0).device().synchronize();
        double s = (System.nanoTime() - t0) / 1e9;
        String perStep = metered ? String.format(Locale.ROOT, ", %.2f MB allocated per step",
                (AllocationMeter.allocatedBytes() - allocated) / 1e6 / ((n + 63) / 64)) : "";

        double acc = accuracy(m, test[0], test[1]);
        return new Result(s, String.format(Locale.ROOT, "%.0f img/s, test acc after 1 epoch %.4f", n / s, acc) + perStep);
    }

    /** Images as F32 [N, 1, 28, 28] normalised as torch_bench ((x/255 - 0.2860) / 0.3530), labels I64 [N]. */
    private static Tensor[] load(FashionMNIST ds) {
        Tensor x = ds.images().toType(DType.F32).div(255).unsqueeze(1).sub(0.2860).div(0.3530).contiguous();
        return new Tensor[] {x, ds.labels()};
    }

    /** Fraction of correct argmax predictions, in chunks of 1000 (the result is the same as one batch). */
    @SuppressWarnings("try")
    private static double accuracy(Module m, Tensor x, Tensor y) {
        long correct = 0;
        int n = x.size(0);
        try (GradGuard g = Autograd.noGrad()) {
            for (int i = 0; i < n; i += 1000) {
                int e = Math.min(i + 1000, n);
                Tensor pred = m.forward(x.slice(0, i, e)).argmax(1, false);
                correct += (long) pred.eq(y.slice(0, i, e)).toType(DType.F64).sum().item();
            }
        }
        return (double) correct / n;
    }

    // ------------------------------------------------------------------------------------------ dcgan28-step

    static Result dcganStep() {
        Generator.seedGlobal(0);
        Sequential g = DCGAN.generator28(100);
        Sequential d = DCGAN.discriminator28();
        Adam og = new Adam(g.parameters(), Adam.options().lr(2e-4).betas(0.5, 0.999));
        Adam od = new Adam(d.parameters(), Adam.options().lr(2e-4).betas(0.5, 0.999));
        Tensor real = Tensor.randn(64, 1, 28, 28).tanh();
        Tensor ones = Tensor.ones(64, 1);
        Tensor zeros = Tensor.zeros(64, 1);
        Runnable step = () -> {
            Tensor z = Tensor.randn(64, 100);
            Tensor fake = g.forward(z);
            od.zeroGrad();
            Tensor ld = F.binaryCrossEntropyWithLogits(d.forward(real), ones)
                    .add(F.binaryCrossEntropyWithLogits(d.forward(fake.detach()), zeros));
            ld.backward();
            od.step();
            og.zeroGrad();
            Tensor lg = F.binaryCrossEntropyWithLogits(d.forward(fake), ones);
            lg.backward();
            og.step();
        };
        // Extra JIT warm-up steps (PyTorch's kernels are precompiled); then torch_bench's 2 warm-up + median of 10.
        warmUp(step, 30);
        double s = Workloads.timeit(step, 10, 2);
        return new Result(s, String.format(Locale.ROOT, "%.1f steps/s", 1 / s));
    }

    // ------------------------------------------------------------------------------------------ unet16-64px-step

    static Result unetStep() {
        Generator.seedGlobal(0);
        UNet m = new UNet(1, 1, 16);
        Adam opt = new Adam(m.parameters(), 1e-3);
        Tensor x = Tensor.randn(8, 1, 64, 64);
        Tensor y = Tensor.randn(8, 1, 64, 64);
        Runnable step = () -> trainStep(m, opt, x, y, F::mseLoss);
        // Extra JIT warm-up steps; then torch_bench's 2 warm-up + median of 5.
        warmUp(step, 8);
        double s = Workloads.timeit(step, 5, 2);
        return new Result(s, String.format(Locale.ROOT, "%.2f steps/s", 1 / s));
    }

    // ------------------------------------------------------------------------------------------ resnet18-cifar-step

    static Result resnet18Step() {
        Generator.seedGlobal(0);
        ResNet m = ResNet.resnet18(10, true);
        SGD opt = new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9));
        Tensor x = Tensor.randn(16, 3, 32, 32);
        Tensor y = Tensor.randint(0, 10, 16);
        Runnable step = () -> trainStep(m, opt, x, y, F::crossEntropy);
        // Extra JIT warm-up steps; then torch_bench's 2 warm-up + median of 3.
        warmUp(step, 4);
        double s = Workloads.timeit(step, 3, 2);
        return new Result(s, String.format(Locale.ROOT, "%.1f img/s", 16 / s));
    }

    // ------------------------------------------------------------------------------------------ *-64px-step

    /**
     * {@code mobilenetv2-64px-step} and {@code efficientnet-b0-64px-step}: torchvision's model (built after seeding, as
     * torch_bench does), SGD 0.05 momentum 0.9, batch 16 at 64x64, 10 classes.
     */
    static Result step64(Supplier<Module> model) {
        Generator.seedGlobal(0);
        Module m = model.get();
        SGD opt = new SGD(m.parameters(), SGD.options().lr(0.05).momentum(0.9));
        Tensor x = Tensor.randn(16, 3, 64, 64);
        Tensor y = Tensor.randint(0, 10, 16);
        Runnable step = () -> trainStep(m, opt, x, y, F::crossEntropy);
        // extra JIT warm-up steps (about 500 layer calls each: 30 steps reach C2's call thresholds, 100 leave it time to
        // compile); then torch_bench's 2 warm-up + median of 5
        warmUp(step, 100);
        double s = Workloads.timeit(step, 5, 2);
        return new Result(s, String.format(Locale.ROOT, "%.1f img/s", 16 / s));
    }

    // ------------------------------------------------------------------------------------------ resnet50-224-infer-b1

    /** torchvision's ResNet-50 (ImageNet stem, 1000 classes), eval mode, no grad, one 224x224 image: latency. */
    static Result resnet50Infer() {
        Generator.seedGlobal(0);
        ResNet m = ResNet.resnet50(1000, false);
        m.eval();
        Tensor x = Tensor.randn(1, 3, 224, 224);
        Runnable step = () -> noGrad(() -> m.forward(x));
        // Extra JIT warm-up passes, then torch_bench's 3 warm-up + median of 10. C2 compiles a method after about 5,000
        // to 15,000 calls (tier 4 thresholds): the per-layer code (checks, views, the convolutions' drivers) is called
        // about 50 times a pass, so it runs in C1's profiling code for the first 100-300 passes (6 to 20 s). Measured
        // 2026-12-07, JDK 25, 2 s windows of one process: 62-67 ms per image at 10-14 s, 41-53 ms from 16-26 s on.
        warmUp(step, 300);
        double s = Workloads.timeit(step, 10, 3);
        return new Result(s, String.format(Locale.ROOT, "%.1f ms per image", s * 1e3));
    }

    private static void noGrad(Runnable r) {
        try (GradGuard g = Autograd.noGrad()) {
            r.run();
        }
    }
}
