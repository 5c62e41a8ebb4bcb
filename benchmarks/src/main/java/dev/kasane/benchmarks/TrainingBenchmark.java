package dev.kasane.benchmarks;

import dev.kasane.autograd.Tensor;
import dev.kasane.nn.Module;
import dev.kasane.nn.functional.F;
import dev.kasane.optim.Adam;
import dev.kasane.optim.Optimizer;
import dev.kasane.optim.SGD;
import dev.kasane.tensor.DType;
import dev.kasane.tensor.Device;
import dev.kasane.tensor.Generator;
import dev.kasane.vision.models.LeNet5;
import dev.kasane.vision.models.ResNet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cheap layers around the convolutions, and whole training steps: batch normalization (training mode, forward
 * and backward) on ResNet's [32, 64, 32, 32], LeakyReLU forward and backward on the same shape, one Adam and one
 * SGD-with-momentum step over ResNet-18's 11.2 M parameters, and one LeNet-5 training step (batch 64, Adam, the
 * lenet5-fmnist-epoch recipe). Score is the time per call; run with {@code -prof gc} to see the allocation per call
 * ({@code gc.alloc.rate.norm}), e.g. {@code java -jar benchmarks.jar TrainingBenchmark -prof gc}.
 */
public class TrainingBenchmark extends KernelBenchmark {
    private Tensor act;
    private Tensor bnWeight;
    private Tensor bnBias;
    private Tensor runningMean;
    private Tensor runningVar;
    private Adam adam;
    private SGD sgd;
    private Module lenet;
    private Optimizer<?> lenetOpt;
    private Tensor lenetX;
    private Tensor lenetY;

    /** Creates the inputs, the optimizers (with gradients in place) and the LeNet batch. */
    @Setup
    public void setup() {
        Generator gen = new Generator(0);
        act = Tensor.normal(gen, 0, 1, DType.F32, Device.CPU, 32, 64, 32, 32).requiresGrad(true);
        bnWeight = Tensor.ones(64).requiresGrad(true);
        bnBias = Tensor.zeros(64).requiresGrad(true);
        runningMean = Tensor.zeros(64);
        runningVar = Tensor.ones(64);

        Generator.seedGlobal(0);
        ResNet resnet = ResNet.resnet18(10, true);
        for (Tensor p : resnet.parameters()) {
            p.setGrad(Tensor.normal(gen, 0, 1e-3, DType.F32, Device.CPU, p.shape()));
        }
        adam = new Adam(resnet.parameters(), 1e-3);
        sgd = new SGD(resnet.parameters(), SGD.options().lr(0.1).momentum(0.9));

        lenet = new LeNet5(10);
        lenetOpt = new Adam(lenet.parameters(), 1e-3);
        lenetX = Tensor.normal(gen, 0, 1, DType.F32, Device.CPU, 64, 1, 28, 28);
        lenetY = Tensor.randint(gen, 0, 10, Device.CPU, 64);
    }

    /** BatchNorm2d in training mode: batch statistics, running-statistics update, and the backward pass. */
    @Benchmark
    public Tensor batchNorm2dForwardBackward() {
        act.setGrad(null);
        Tensor y = F.batchNorm(act, runningMean, runningVar, bnWeight, bnBias, true, 0.1, 1e-5);
        y.sum().backward();
        return act.grad();
    }

    /** LeakyReLU(0.2) forward and backward. */
    @Benchmark
    public Tensor leakyReluForwardBackward() {
        act.setGrad(null);
        act.leakyRelu(0.2).sum().backward();
        return act.grad();
    }

    /** One Adam step over ResNet-18's parameters. */
    @Benchmark
    public Adam adamStepResNet18() {
        adam.step();
        return adam;
    }

    /** One SGD (momentum 0.9) step over ResNet-18's parameters. */
    @Benchmark
    public SGD sgdMomentumStepResNet18() {
        sgd.step();
        return sgd;
    }

    /** One LeNet-5 training step: zero_grad, forward, cross-entropy, backward, Adam. */
    @Benchmark
    public Tensor lenetTrainStep() {
        return ModelWorkloads.trainStep(lenet, lenetOpt, lenetX, lenetY, F::crossEntropy);
    }
}
