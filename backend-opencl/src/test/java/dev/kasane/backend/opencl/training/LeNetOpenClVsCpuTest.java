package dev.kasane.backend.opencl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kasane.autograd.Autograd;
import dev.kasane.autograd.Function;
import dev.kasane.autograd.GradGuard;
import dev.kasane.autograd.Tensor;
import dev.kasane.backend.opencl.OpenClTestSupport;
import dev.kasane.backend.opencl.RequiresOpenCl;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.tensor.NDArray;
import dev.kasane.tensor.spi.BinaryOp;
import dev.kasane.tensor.spi.ReduceOp;
import dev.kasane.vision.datasets.FashionMNIST;
import dev.kasane.vision.datasets.MNIST;
import dev.kasane.vision.models.LeNet5;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: LeNet-5 trained on OpenCL follows the CPU. Both models start from the same weights (built on the CPU
 * with a fixed seed, the state dict copied into a second model that is then moved to the device), see the same 50
 * batches of 64 real Fashion-MNIST images with Adam, and must agree on the loss at every step and on the test
 * accuracy afterwards. The devices sum in different orders (float32 reassociation), so agreement is to a tolerance.
 */
@RequiresOpenCl
class LeNetOpenClVsCpuTest {
    private static final Device D = OpenClTestSupport.DEVICE;
    private static final int STEPS = 50;
    private static final int BATCH = 64;
    private static final int TEST_IMAGES = 1000;
    /** Per-step loss agreement: |cpu - opencl| <= LOSS_RTOL * |cpu|. */
    private static final double LOSS_RTOL = 1e-3;
    /** Test accuracy agreement, in percentage points. */
    private static final double ACC_PP = 1.0;

    /** Images as F32 [N, 1, 28, 28] normalised with Fashion-MNIST's mean and std; labels I64 [N]. */
    private static NDArray[] load(MNIST ds, int n) {
        NDArray x = Function.array(ds.images()).narrow(0, 0, n).toType(DType.F32).binary(BinaryOp.DIV, 255).unsqueeze(1).binary(BinaryOp.SUB, 0.2860).binary(BinaryOp.DIV, 0.3530).contiguous();
        return new NDArray[] {x, Function.array(ds.labels()).narrow(0, 0, n).contiguous()};
    }

    @SuppressWarnings("try")
    private static double accuracyPercent(Module m, NDArray x, NDArray y) {
        m.eval();
        try (GradGuard g = Autograd.noGrad()) {
            NDArray pred = Function.array(m.forward(Function.tensor(x))).reduce(ReduceOp.ARGMAX, 1, false);
            return 100.0 * pred.binary(BinaryOp.EQ, y).toType(DType.F64).reduce(ReduceOp.SUM).item() / x.size(0);
        }
    }

    @Test
    void fiftyAdamStepsOnFashionMnistMatchTheCpu() throws IOException {
        NDArray[] train = load(FashionMNIST.train(null), STEPS * BATCH);
        NDArray[] test = load(FashionMNIST.test(null), TEST_IMAGES);
        NDArray perm = NDArray.randperm(new Generator(11), STEPS * BATCH, Device.CPU);

        Generator.seedGlobal(0);
        LeNet5 cpu = new LeNet5(10);
        LeNet5 ocl = new LeNet5(10);
        ocl.loadStateDict(cpu.stateDict(), true);
        ocl.to(D);
        Optimizer<?> optCpu = new Adam(cpu.parameters(), 1e-3);
        Optimizer<?> optOcl = new Adam(ocl.parameters(), 1e-3); // after the move, as in PyTorch

        double[] lossCpu = new double[STEPS];
        double[] lossOcl = new double[STEPS];
        long t0 = System.nanoTime();
        for (int s = 0; s < STEPS; s++) {
            NDArray idx = perm.slice(0, s * BATCH, (s + 1) * BATCH);
            NDArray xb = train[0].indexSelect(0, idx);
            NDArray yb = train[1].indexSelect(0, idx);
            lossCpu[s] = step(cpu, optCpu, Function.tensor(xb), Function.tensor(yb));
            lossOcl[s] = step(ocl, optOcl, Function.tensor(xb.to(D)), Function.tensor(yb.to(D)));
        }
        double accCpu = accuracyPercent(cpu, test[0], test[1]);
        double accOcl = accuracyPercent(ocl, test[0].to(D), test[1].to(D));
        double seconds = (System.nanoTime() - t0) / 1e9;

        double worst = 0;
        int worstStep = 0;
        for (int s = 0; s < STEPS; s++) {
            double rel = Math.abs(lossCpu[s] - lossOcl[s]) / Math.abs(lossCpu[s]);
            if (rel > worst) {
                worst = rel;
                worstStep = s;
            }
        }
        System.out.printf(Locale.ROOT, "LeNetOpenClVsCpuTest: %d steps in %.1f s; loss cpu %.5f -> %.5f, opencl %.5f -> %.5f;"
                + " worst relative loss difference %.2e at step %d; test accuracy cpu %.1f%%, opencl %.1f%%%n", STEPS,
                seconds, lossCpu[0], lossCpu[STEPS - 1], lossOcl[0], lossOcl[STEPS - 1], worst, worstStep, accCpu, accOcl);

        for (int s = 0; s < STEPS; s++) {
            assertEquals(lossCpu[s], lossOcl[s], LOSS_RTOL * Math.abs(lossCpu[s]), "loss at step " + s + "; cpu "
                    + Arrays.toString(lossCpu) + "\nopencl " + Arrays.toString(lossOcl));
        }
        assertEquals(accCpu, accOcl, ACC_PP, "test accuracy (%) on " + TEST_IMAGES + " images");
        // the runs learned something (10 classes: chance is 10%)
        assertTrue(lossCpu[STEPS - 1] < 0.6 * lossCpu[0], "loss " + lossCpu[0] + " -> " + lossCpu[STEPS - 1]);
        assertTrue(accCpu > 50, "test accuracy " + accCpu + "% after " + STEPS + " steps");
    }

    private static double step(Module m, Optimizer<?> opt, Tensor x, Tensor y) {
        m.train();
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(m.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
    }
}
