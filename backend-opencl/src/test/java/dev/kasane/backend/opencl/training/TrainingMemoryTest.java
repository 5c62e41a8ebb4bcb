package dev.kasane.backend.opencl.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Function;
import dev.kasane.autograd.Tensor;
import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.nn.Linear;
import dev.kasane.nn.ReLU;
import dev.kasane.nn.Sequential;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: device memory stays flat over a long training run. 10,000 Adam steps of a small MLP on data created once
 * on the device; after a warm-up, the bytes held on the device (read after the cleaners of dropped arrays have run)
 * must not grow. Any per-step leak of even one small buffer would add up to kilobytes every 1000 steps.
 */
@RequiresOpenCl
class TrainingMemoryTest {
    private static final Device D = OpenClTestSupport.DEVICE;
    private static final int STEPS = 10_000;
    private static final int WARMUP = 100;
    private static final int EVERY = 1000;
    /** Allowed growth over the warm-up reading: 10% of it, but at least 4 KiB (the whole working set is ~13 KB). */
    private static final double REL_SLACK = 0.10;
    private static final long MIN_SLACK = 4096;

    @Test
    void memoryStaysFlatOver10000AdamSteps() throws InterruptedException {
        Generator.seedGlobal(7);
        Generator gen = new Generator(7);
        Sequential model = new Sequential(new Linear(16, 32), new ReLU(), new Linear(32, 4));
        model.to(D);
        Adam opt = new Adam(model.parameters(), 1e-2); // after the move, as in PyTorch
        // data created once on the device: a learnable linear target
        Tensor x = Function.tensor(NDArray.normal(gen, 0, 1, DType.F32, D, 32, 16));
        Tensor y = Function.tensor(Function.array(x).matmul(NDArray.normal(gen, 0, 0.5, DType.F32, D, 16, 4)));

        long t0 = System.nanoTime();
        long warm = 0;
        double firstLoss = Double.NaN;
        List<Long> readings = new ArrayList<>();
        for (int step = 1; step <= STEPS; step++) {
            Tensor loss = TrainingSteps.step(opt, () -> F.mseLoss(model.forward(x), y));
            if (step == 1) {
                firstLoss = loss.item();
            }
            if (step == WARMUP) {
                warm = OpenClTestSupport.settledMemory(D);
            } else if (step % EVERY == 0) {
                readings.add(OpenClTestSupport.settledMemory(D));
            }
        }
        double lastLoss = F.mseLoss(model.forward(x), y).item();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("TrainingMemoryTest: %d steps in %.1f s; memoryInUse after %d warm-up steps %d B, then every %d"
                + " steps %s; loss %.4f -> %.6f%n", STEPS, seconds, WARMUP, warm, EVERY, readings, firstLoss, lastLoss);

        assertTrue(warm > 0, "the model, its Adam state and the data live on the device");
        long bound = warm + Math.max(MIN_SLACK, (long) (REL_SLACK * warm));
        for (int i = 0; i < readings.size(); i++) {
            assertTrue(readings.get(i) <= bound, "memory in use after " + (i + 1) * EVERY + " steps: " + readings.get(i)
                    + " B > bound " + bound + " B (warm-up level " + warm + " B); all readings " + readings);
        }
        // the run really trained (so the loop did the work whose memory is measured)
        assertTrue(lastLoss < 0.1 * firstLoss, "loss " + firstLoss + " -> " + lastLoss);
    }
}
