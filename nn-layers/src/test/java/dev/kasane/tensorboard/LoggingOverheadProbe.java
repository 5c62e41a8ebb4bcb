package dev.kasane.tensorboard;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Conv2d;
import dev.kasane.nn.Flatten;
import dev.kasane.nn.Linear;
import dev.kasane.nn.MaxPool2d;
import dev.kasane.nn.Module;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.Generator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: what TensorBoard logging costs a training step (README, "Experiments"). LeNet-5 (the layers of
 * models-zoo's {@code LeNet5}, 61,706 parameters) trains with Adam on one batch of 64 random 28x28 images (the time
 * of a step does not depend on the values), in {@code pairs} pairs of blocks of {@code block} steps, one block without
 * logging and one with the examples' {@code --logdir} logging, alternating which goes first, so that the machine's
 * drift hits both alike: the loss as a scalar every step, and every {@code epochEvery}-th logged block what the
 * examples log per epoch (two scalars, a histogram of each of the 10 parameters, the batch as an image grid). Both
 * kinds of block call {@code loss.item()} every step (a training loop prints its loss anyway), and each block is
 * followed by an untimed 20 ms pause, in which the writer thread finishes what it was given. One writer serves the
 * whole run, as in training. Prints the median step time of each kind, the median and quartiles of the per-pair
 * ratios logged / plain, and two costs that do not drown in the machine's noise: the time spent inside the logging
 * calls on the training thread, and the CPU time of the writer thread, each per logged step.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp <nn-layers test classpath> dev.kasane.tensorboard.LoggingOverheadProbe [pairs] [block] [epochEvery]
 * }</pre>
 */
public final class LoggingOverheadProbe {
    /** Nanoseconds spent inside the per-step logging calls, on the training thread. */
    private static long stepCallNanos;
    /** Nanoseconds spent inside the per-epoch logging calls, on the training thread. */
    private static long epochCallNanos;

    private LoggingOverheadProbe() {
    }

    /** Runs the probe: {@code [pairs] [block] [epochEvery]}, default 60, 25 and 4. */
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int epochEvery = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Generator.seedGlobal(0);
        Module model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(),
                new Linear(120, 84), new ReLU(), new Linear(84, 10));
        Adam opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.rand(64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 64);
        Path dir = Files.createTempDirectory("kasane-tb-probe");
        double[] plain = new double[pairs];
        double[] logged = new double[pairs];
        double[] ratio = new double[pairs];
        long writerCpu;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            for (int warm = 0; warm < 8; warm++) {
                block(model, opt, x, y, block, warm % 2 == 0 ? null : w, warm, true);
            }
            Thread writer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("kasane-summary-writer")).findFirst().orElseThrow();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            stepCallNanos = 0;
            epochCallNanos = 0;
            long cpu0 = mx.getThreadCpuTime(writer.getId());
            for (int r = 0; r < pairs; r++) {
                for (int k = 0; k < 2; k++) {
                    if ((r + k) % 2 == 0) {
                        plain[r] = block(model, opt, x, y, block, null, r, false) / block;
                    } else {
                        logged[r] = block(model, opt, x, y, block, w, r, (r + 1) % epochEvery == 0) / block;
                    }
                    Thread.sleep(20);
                }
                ratio[r] = logged[r] / plain[r];
            }
            w.flush();
            writerCpu = mx.getThreadCpuTime(writer.getId()) - cpu0;
        }
        double[] q = quartiles(ratio);
        System.out.printf(Locale.ROOT, "LeNet-5 step (batch 64, Adam), %d pairs of %d-step blocks, per-epoch logging "
                + "every %d logged blocks:%n  without logging: median %.3f ms per step%n"
                + "  with logging:    median %.3f ms per step%n"
                + "  logged / plain per pair: median %.4f, quartiles %.4f-%.4f, range %.4f-%.4f%n"
                + "  inside the logging calls (training thread): %.1f us per logged step (per-step scalar %.1f us)%n"
                + "  writer thread's CPU time: %.1f us per logged step%n",
                pairs, block, epochEvery, quartiles(plain)[1], quartiles(logged)[1], q[1], q[0], q[2],
                Arrays.stream(ratio).min().orElseThrow(), Arrays.stream(ratio).max().orElseThrow(),
                (stepCallNanos + epochCallNanos) / 1e3 / ((long) pairs * block),
                stepCallNanos / 1e3 / ((long) pairs * block), writerCpu / 1e3 / ((long) pairs * block));
    }

    /**
     * Milliseconds of {@code steps} training steps, logging each step's loss to {@code w} unless it is null, and the
     * per-epoch summaries too when {@code epochEnd}.
     */
    private static double block(Module model, Adam opt, Tensor x, Tensor y, int steps, SummaryWriter w, int n,
                                boolean epochEnd) {
        long t = System.nanoTime();
        double sum = 0;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            double l = loss.item();
            sum += l;
            if (w != null) {
                long c = System.nanoTime();
                w.addScalar("step/loss", l, (long) n * steps + s);
                stepCallNanos += System.nanoTime() - c;
            }
        }
        long c = System.nanoTime();
        if (w != null && epochEnd) {
            w.addScalar("epoch/train_loss", sum / steps, n);
            w.addScalar("epoch/lr", 1e-3, n);
            for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
                w.addHistogram("weights/" + p.getKey(), p.getValue(), n);
            }
            w.addImages("inputs", x, n);
            epochCallNanos += System.nanoTime() - c;
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /** The first quartile, median and third quartile of {@code v} (nearest rank). */
    private static double[] quartiles(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return new double[] {s[s.length / 4], s[s.length / 2], s[(3 * s.length) / 4]};
    }
}
